package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.doppel.job.corpus.FileListerTest;
import org.doppel.job.data.DocumentRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real run over a folder with a mail and a zip: their attachments and entries are rows of the documents report
 * (parent column after modified_ms), and an exact copy inside a container is reported as an exact pair with the file.
 */
class ContainerRunTest {
  @TempDir
  Path tmp;

  @Test
  void embeddedDocumentsAreRowsAndPairLikeFiles() throws Exception {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    String report = "Revenue grew by eleven percent in the third quarter, driven by the northern stores. "
        + "The board approved the new warehouse in Lyon and asked for a hiring plan by May.";
    Files.writeString(in.resolve("report.txt"), report);
    Files.write(in.resolve("mail.eml"), FileListerTest.mail("The numbers are attached, see you on Monday.", "q3.txt", report));
    Files.write(in.resolve("bundle.zip"), FileListerTest.zip("old/bike care.txt",
        "Bicycle chains want cleaning and a little oil after every wet ride."));
    Path out = tmp.resolve("report");
    RunSummary summary = DoppelJob.run(SparkTestSession.get(), RunConfig.defaults(List.of(in.toString()), out), System.err);

    Dataset<Row> documents = SparkTestSession.get().read().parquet(out.resolve("documents.parquet").toString());
    String[] columns = documents.columns();
    assertEquals("parent", columns[Arrays.asList(columns).indexOf("modified_ms") + 1], Arrays.toString(columns));
    Map<String, String> parentOf = new TreeMap<>();
    for (Row r : documents.collectAsList()) parentOf.put(r.getAs("path"), r.getAs("parent"));
    Map<String, String> expected = new TreeMap<>();
    expected.put("bundle.zip", null);
    expected.put("bundle.zip!/old/bike care.txt", "bundle.zip");
    expected.put("mail.eml", null);
    expected.put("mail.eml!/q3.txt", "mail.eml");
    expected.put("report.txt", null);
    assertEquals(expected, parentOf);
    assertEquals(3L, summary.toMap().get("files"));
    assertEquals(2L, summary.toMap().get("embedded_documents"));
    assertTrue(Files.readAllLines(out.resolve("documents.csv")).get(0).contains(",modified_ms,parent,"));

    List<Row> pairs = SparkTestSession.get().read().parquet(out.resolve("pairs.parquet").toString()).collectAsList();
    assertEquals(1, pairs.size(), pairs.toString());
    Row p = pairs.get(0);
    assertEquals("mail.eml!/q3.txt", p.getAs("path_a"));
    assertEquals("report.txt", p.getAs("path_b"));
    assertEquals("exact", p.getAs("method"));
    assertEquals(DocumentRow.docIdFor("in/mail.eml!/q3.txt"), p.getAs("doc_a"), "id of folder name + path");
  }
}
