package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.doppel.job.decide.PairRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Near-duplicates in scripts the English default model does not know (Cyrillic, Arabic) are found through
 * the lexical path, and unrelated texts in the same scripts are not paired.
 */
class MultilingualLexicalTest {
  static final List<String> FILES = List.of("ru-library.txt", "ru-library-edited.html", "ru-borscht.txt",
      "ar-palm.txt", "ar-palm-edited.txt", "ar-coding.txt");

  @Test
  void cyrillicAndArabicCopiesPairAndNothingElse(@TempDir Path tmp) throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    for (String f : FILES) {
      try (InputStream in = getClass().getResourceAsStream("/multilingual/" + f)) {
        Files.copy(in, docs.resolve(f));
      }
    }
    Path out = tmp.resolve("report");
    DoppelJob.run(SparkTestSession.get(), RunConfig.defaults(List.of(docs.toString()), out), System.err);

    Map<String, Row> pairs = new HashMap<>();
    for (Row r : SparkTestSession.get().read().parquet(out.resolve("pairs.parquet").toString()).collectAsList()) {
      pairs.put(r.getAs("path_a") + " ~ " + r.getAs("path_b"), r);
    }
    assertEquals(java.util.Set.of("ar-palm-edited.txt ~ ar-palm.txt", "ru-library-edited.html ~ ru-library.txt"),
        pairs.keySet(), "exactly the two near-duplicate pairs");
    for (Row r : pairs.values()) {
      double resemblance = r.getAs("lexical_resemblance");
      String method = r.getAs("method");
      assertTrue(resemblance >= 0.4, "found by wording: " + r);
      assertTrue(method.equals(PairRow.LEXICAL) || method.equals(PairRow.BOTH), "lexical evidence carried it: " + method);
    }
  }
}
