package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.doppel.job.output.OutputMarker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doppel embed}: one row per window of every document, vectors normalised, exact copies share vectors. */
class EmbedCommandTest {
  @TempDir
  Path tmp;

  @Test
  void writesWindowAndDocumentVectors() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    String para = "Compost heaps need a balance of green and brown material, air and moisture. ";
    Files.writeString(in.resolve("long.txt"), para.repeat(120));          // ~2,000 tokens: several windows
    Files.writeString(in.resolve("copy.txt"), para.repeat(120));          // exact copy
    Files.writeString(in.resolve("short.txt"), "Bicycle chains want cleaning and a little oil.");
    Files.writeString(in.resolve("blank.txt"), "   \n ");
    Path out = tmp.resolve("vectors");
    EmbedJob.run(SparkTestSession.get(), RunConfig.defaults(List.of(in.toString()), out), System.err);

    Dataset<Row> chunks = SparkTestSession.get().read().parquet(out.resolve("vectors.parquet").toString());
    List<Row> longRows = chunks.filter("path = 'long.txt'").orderBy("chunk").collectAsList();
    assertTrue(longRows.size() >= 3, "several windows: " + longRows.size());
    assertEquals(longRows.size(), chunks.filter("path = 'copy.txt'").count(), "exact copy shares the windows");
    assertEquals(1, chunks.filter("path = 'short.txt'").count());
    assertEquals(0, chunks.filter("path = 'blank.txt'").count(), "an empty document has no vectors");
    int end = 0;
    for (Row r : longRows) {
      assertTrue(r.<Integer>getAs("start_char") <= end, "windows overlap or touch");
      end = r.getAs("end_char");
      List<Float> v = r.getList(r.fieldIndex("vector"));
      assertEquals(384, v.size());
      double norm = 0;
      for (float f : v) norm += f * f;
      assertEquals(1.0, norm, 1e-4);
    }
    assertEquals(para.repeat(120).strip().length(), end, "the last window ends at the end of the text");
    Dataset<Row> docs = SparkTestSession.get().read().parquet(out.resolve("document_vectors.parquet").toString());
    assertEquals(3, docs.count());
    assertTrue(Files.exists(out.resolve("documents.csv")) && Files.exists(out.resolve("summary.json")));
    OutputMarker marker = OutputMarker.read(out);
    assertTrue(marker != null && marker.complete() && marker.kind().equals("report"), "marked as Doppel's: " + marker);
    assertEquals(List.of("document_vectors.parquet", "documents.csv", "documents.parquet", "summary.json",
        "vectors.parquet"), marker.entries());
    String summary = Files.readString(out.resolve("summary.json"));
    assertTrue(summary.contains("\"run_id\" : \"" + marker.runId() + "\"") || summary.contains("\"run_id\": \"" + marker.runId() + "\""),
        "summary.json names the run that wrote the folder: " + summary);
    assertTrue(summary.matches("(?s).*\"embedder_runtime\"\\s*:\\s*\\[\\s*\"(cpu float32|gpu:\\d+ float16), (sdpa|matmul) attention, <= \\d+ windows.*"),
        "summary.json names the device and dtype used: " + summary);
  }
}
