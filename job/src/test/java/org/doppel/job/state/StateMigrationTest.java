package org.doppel.job.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.doppel.extractors.LexicalSketch;
import org.doppel.job.data.DocumentRow;
import org.junit.jupiter.api.Test;

/** A format-2 state's rows get this version's ids: the input folder's name and the path inside it. */
class StateMigrationTest {
  static DocumentRow v2(String input, String path, String parent) {
    return new DocumentRow(DocumentRow.docIdFor(path), input, path, 10, "sha", "text", "text/plain", "ok", null, 4, 0,
        LexicalSketch.EMPTY, null, parent);
  }

  @Test
  void oneInputKeepsItsRelativePaths() {
    DocumentRow m = StateStore.migrated(v2("data/docs/", "a/b.txt", null), false);
    assertEquals(DocumentRow.docIdFor("docs/a/b.txt"), m.docId());
    assertEquals("docs", m.input());
    assertEquals("a/b.txt", m.path(), "the path is rewritten when the row is reused, not here");
  }

  @Test
  void severalInputsLoseTheSpelledPrefixEntriesToo() {
    assertEquals(DocumentRow.docIdFor("docs/a.txt"), StateStore.migrated(v2("./docs/", "./docs/a.txt", null), true).docId());
    assertEquals(DocumentRow.docIdFor("docs/m.eml!/x.txt"),
        StateStore.migrated(v2("/abs/docs", "/abs/docs/m.eml!/x.txt", "/abs/docs/m.eml"), true).docId());
  }
}
