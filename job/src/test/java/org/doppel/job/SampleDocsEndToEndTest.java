package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.eval.Truth;
import org.doppel.job.exec.PerExecutor;
import org.doppel.job.report.Csv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, in-process: sample-docs through every real stage, checked against its truth. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleDocsEndToEndTest {
  @TempDir
  static Path tmp;
  Path out;
  RunSummary summary;
  SparkSession spark;
  final Path docs = TestCorpora.repoRoot().resolve("sample-docs/docs");

  @BeforeAll
  void run() throws Exception {
    spark = SparkTestSession.get();
    out = tmp.resolve("report");
    summary = DoppelJob.run(spark, RunConfig.defaults(List.of(docs.toString()), out), System.err);
  }

  @Test
  void everyKnownDuplicatePairIsFlaggedAndNoOther() throws Exception {
    Map<String, String> truth = Truth.clusters(TestCorpora.repoRoot().resolve("sample-docs/clusters.csv"));
    Set<String> expected = new TreeSet<>();
    List<String> files = new ArrayList<>(truth.keySet());
    for (int i = 0; i < files.size(); i++) {
      for (int j = i + 1; j < files.size(); j++) {
        if (truth.get(files.get(i)).equals(truth.get(files.get(j)))) expected.add(ordered(files.get(i), files.get(j)));
      }
    }
    Set<String> flagged = new TreeSet<>();
    for (Row r : spark.read().parquet(out.resolve("pairs.parquet").toString()).collectAsList()) {
      flagged.add(ordered(r.getAs("path_a"), r.getAs("path_b")));
    }
    Set<String> missed = new TreeSet<>(expected);
    missed.removeAll(flagged);
    Set<String> wrong = new TreeSet<>(flagged);
    wrong.removeAll(expected);
    assertTrue(missed.isEmpty() && wrong.isEmpty(), "missed " + missed + "\nwrongly flagged " + wrong);
    assertTrue(expected.size() >= 10, "sample-docs should hold a real number of duplicate pairs");
  }

  @Test
  void oneModelPerExecutorJvmNotOnePerTask() throws Exception {
    // local[2]: the embed stage ran as 2 x 2 = 4 tasks over 20+ distinct texts, all in this JVM
    assertEquals(1, PerExecutor.embedderLoads(), "model loads in this (driver = executor) JVM");
  }

  @Test
  void everyFileHasOneDocumentsRow() throws Exception {
    Set<String> onDisk = new HashSet<>();
    for (Path p : TestCorpora.listFiles(docs)) onDisk.add(docs.relativize(p).toString());
    Dataset<Row> documents = spark.read().parquet(out.resolve("documents.parquet").toString());
    List<String> paths = documents.select("path").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertEquals(onDisk, new HashSet<>(paths));
    assertEquals(onDisk.size(), paths.size());
    assertEquals(0, documents.filter("status != 'ok'").count(), "every sample file is readable");
    assertEquals(onDisk.size(), Csv.read(out.resolve("documents.csv")).size(), "CSV: one row per file");
  }

  @Test
  void clustersHaveExactlyOneKeptDocumentWithTheMostText() {
    Dataset<Row> clusters = spark.read().parquet(out.resolve("clusters.parquet").toString());
    Dataset<Row> documents = spark.read().parquet(out.resolve("documents.parquet").toString());
    List<Row> perCluster = clusters.groupBy("cluster_id").agg(org.apache.spark.sql.functions.sum(
        org.apache.spark.sql.functions.col("keep").cast("int")).as("kept")).collectAsList();
    assertTrue(perCluster.size() >= 4);
    for (Row r : perCluster) assertEquals(1L, r.getLong(1), "one kept document in cluster " + r.get(0));
    Dataset<Row> joined = clusters.join(documents.select("doc_id", "chars"), "doc_id");
    for (Row r : perCluster) {
      List<Row> members = joined.filter(org.apache.spark.sql.functions.col("cluster_id").equalTo(r.get(0))).collectAsList();
      int maxChars = members.stream().mapToInt(m -> m.getAs("chars")).max().orElseThrow();
      Row kept = members.stream().filter(m -> m.<Boolean>getAs("keep")).findFirst().orElseThrow();
      assertEquals(maxChars, (int) kept.getAs("chars"));
    }
  }

  @Test
  void pairsCarryPassagesAndSummaryCounts() throws Exception {
    for (Row r : spark.read().parquet(out.resolve("pairs.parquet").toString()).collectAsList()) {
      String a = r.getAs("passage_a"), b = r.getAs("passage_b");
      assertTrue(a != null && !a.isBlank() && b != null && !b.isBlank(), "passages for " + r);
      double ps = r.getAs("passage_score"), score = r.getAs("score");
      assertTrue(ps > 0.5 && score >= RunConfig.DEFAULT_DECISION.defaultThreshold() - 1e-9, "scores for " + r);
    }
    // a truncated copy lies inside its original: it is covered at least as much as the original is
    Row truncated = spark.read().parquet(out.resolve("pairs.parquet").toString())
        .filter("path_a = 'archive/bike-care-draft.docx' and path_b = 'bikes/seasonal-bike-care.txt'").first();
    double covDraft = truncated.getAs("coverage_a"), covFull = truncated.getAs("coverage_b");
    assertTrue(covDraft >= covFull && covDraft > 0.9, "coverage draft " + covDraft + " full " + covFull);
    String json = Files.readString(out.resolve("summary.json"));
    assertTrue(json.contains("\"pairs\": " + summary.pairs()), json);
    assertTrue(Files.exists(out.resolve("pairs.csv")) && Files.exists(out.resolve("clusters.csv")));
  }

  @Test
  void htmlReportRendersInHeadlessChromiumWithoutTheNetwork() throws Exception {
    Path html = out.resolve("report.html");
    String source = Files.readString(html);
    HeadlessChromium.Page page = HeadlessChromium.open(html, tmp.resolve("chromium"));
    Files.copy(page.screenshot(), Path.of("target/report-html-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
    Set<String> clusterIds = new HashSet<>();
    for (Map<String, String> row : Csv.read(out.resolve("clusters.csv"))) clusterIds.add(row.get("cluster_id"));
    assertEquals(clusterIds.size(), HtmlReportTest.count(page.dom(), "<article class=\"cluster\""), "clusters drawn");
    assertEquals(summary.pairs(), HtmlReportTest.count(page.dom(), "<details class=\"pair\""), "every pair listed");
    assertEquals(1, HtmlReportTest.count(page.dom(), "<svg class=\"histogram\""));
    String text = page.text();
    assertTrue(text.contains("Showing " + clusterIds.size() + " of " + clusterIds.size() + " clusters"), "script ran");
    assertTrue(HeadlessChromium.inked(page.screenshot()) > 0.01, "the screenshot shows the page");
    // opened, the truncated draft's pair shows its best passage as pairs.parquet has it (highlighted, in context)
    Row truncated = spark.read().parquet(out.resolve("pairs.parquet").toString())
        .filter("path_a = 'archive/bike-care-draft.docx' and path_b = 'bikes/seasonal-bike-care.txt'").first();
    Matcher row = Pattern.compile("<details class=\"pair\" id=\"(pair-\\d+)\"[^>]*data-filter=\"archive/bike-care-draft.docx\\s+bikes/seasonal-bike-care.txt\"")
        .matcher(page.dom());
    assertTrue(row.find(), "the truncated draft's pair is listed");
    HeadlessChromium.Page opened = HeadlessChromium.open(html, row.group(1), tmp.resolve("chromium-opened"));
    String passage = HeadlessChromium.collapse(truncated.<String>getAs("passage_a"));
    assertTrue(opened.text().contains(passage.substring(0, Math.min(300, passage.length()))), "passage shown: " + passage);
    assertTrue(opened.dom().contains("<span class=\"ctx\">"), "passages come with context");
    assertFalse(Pattern.compile("(?i)(src|href|action)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(source).find(),
        "no external reference in report.html");
    assertTrue(page.externalRequests().isEmpty(), "the page requested " + page.externalRequests());
  }

  private static String ordered(String a, String b) {
    return a.compareTo(b) < 0 ? a + " ~ " + b : b + " ~ " + a;
  }
}
