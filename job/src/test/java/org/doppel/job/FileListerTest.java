package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.extractors.TikaExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing is recursive, sorted, honours --exclude, and keeps what it cannot read as rows. */
class FileListerTest {
  @TempDir
  Path tmp;

  @Test
  void recursiveSortedWithExcludesAndBrokenLinks() throws Exception {
    Path in = tmp.resolve("in");
    write(in.resolve("b.txt"), "b");
    write(in.resolve("a/z.txt"), "z");
    write(in.resolve("a/truth.csv"), "x");
    write(in.resolve("skip/c.txt"), "c");
    Files.createSymbolicLink(in.resolve("dangling.pdf"), in.resolve("missing.pdf"));

    List<InputFile> files = FileLister.list(List.of(in.toString()), List.of("*.csv", "skip"));
    assertEquals(List.of("a/z.txt", "b.txt", "dangling.pdf"), files.stream().map(InputFile::path).toList());

    try (TikaExtractor extractor = new TikaExtractor(ExtractorConfig.defaults())) {
      DocumentRow broken = Extraction.toRows(files.get(2), extractor).get(0);
      assertEquals("error", broken.status());
      assertEquals("dangling.pdf", broken.path());
      assertEquals("ok", Extraction.toRows(files.get(0), extractor).get(0).status());
    }
  }

  @Test
  void severalInputsArePrefixedAndMissingInputIsAnError() throws Exception {
    write(tmp.resolve("x/a.txt"), "1");
    write(tmp.resolve("y/a.txt"), "2");
    List<InputFile> files = FileLister.list(List.of(tmp.resolve("x").toString(), tmp.resolve("y").toString()), List.of());
    assertEquals(2, files.size());
    assertEquals(tmp.resolve("x") + "/a.txt", files.get(0).path());
    assertThrows(IOException.class, () -> FileLister.list(List.of(tmp.resolve("nope").toString()), List.of()));
  }

  private static void write(Path p, String s) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, s);
  }
}
