package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.doppel.job.cli.DoppelCommand;
import org.doppel.job.report.Csv;
import org.doppel.job.storage.MiniHdfs;
import org.doppel.job.storage.S3Server;
import org.doppel.job.storage.SparkHadoopConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on real storage servers started here: an in-process HDFS ({@link MiniHdfs}) and an S3 API server
 * ({@link S3Server}, s3rver through the s3a client). On each, documents are read from the server, the report and the
 * state are written back to it, and the report equals the same run's on local files; a second run with the state
 * there extracts only the file added; a folder there holding a user's file is refused as --out and keeps it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StorageRunTest {
  private static final List<String> FILES = List.of("garden/compost-basics.md", "garden/compost-notes-revised.txt",
      "kitchen/sourdough-starter-care.md", "shared/sourdough-starter.html", "bikes/lock-it-up.md");
  private static final String ADDED = "bikes/lock-it-up-again.md";

  @TempDir
  static Path tmp;
  Path docs;
  Path localReport;

  @BeforeAll
  void localRun() throws Exception {
    docs = tmp.resolve("docs");
    TestCorpora.copyDocuments(TestCorpora.repoRoot().resolve("sample-docs/docs"), docs, FILES);
    localReport = tmp.resolve("local-report");
    assertEquals(0, doppel(Map.of(), "run", docs.toString(), "--out", localReport.toString()));
  }

  @Test
  void hdfs() throws Exception {
    try (MiniHdfs hdfs = MiniHdfs.start(tmp.resolve("hdfs"))) {
      roundTrip("hdfs", hdfs.uri().toString(), hdfs.configuration(), hdfs.sparkConf());
    }
  }

  @Test
  void s3() throws Exception {
    try (S3Server s3 = S3Server.start(tmp.resolve("s3"))) {
      roundTrip("s3", s3.bucketUri().toString(), s3.configuration(), s3.sparkConf());
    }
  }

  private void roundTrip(String name, String root, Configuration conf, Map<String, String> sparkConf) throws Exception {
    String base = root.endsWith("/") ? root : root + "/";
    FileSystem fs = FileSystem.newInstance(URI.create(base), conf);
    try {
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(docs.toUri()), new org.apache.hadoop.fs.Path(base + "docs"));
      assertEquals(0, doppel(sparkConf, "run", base + "docs", "--out", base + "report", "--state", base + "state"));
      Path first = download(fs, base + "report", tmp.resolve(name + "-report-1"));
      ReportDiff.Result diff = ReportDiff.compare(withoutTimes(localReport, tmp.resolve(name + "-local")),
          withoutTimes(first, tmp.resolve(name + "-remote")));
      List<String> differences = new ArrayList<>(diff.differences().stream() // where the documents came from differs
          .filter(d -> !d.startsWith("summary.json inputs") && !d.startsWith("summary.json options")
              && !d.startsWith("missing ")).toList());
      ReportDiff.checkParquet(first, differences); // the Parquet tables written there, whole
      assertTrue(differences.isEmpty(), name + ": the report differs from the local run's: " + differences);
      JsonNode marker = new ObjectMapper().readTree(first.resolve(".doppel.json").toFile());
      assertTrue(marker.get("complete").asBoolean(), "the marker is finished, and names what was written: " + marker);
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(base + "state/state.properties")), "the state is written there");
      Set<String> beside = names(fs, base);
      assertTrue(beside.containsAll(Set.of("report", "state")), beside.toString());
      assertTrue(beside.stream().noneMatch(n -> n.startsWith(".")), "no staging folder or lock is left behind: " + beside);
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(base + "docs/" + FILES.get(0))), "the documents are untouched");

      // a second night: one near copy added; only it is extracted, and it pairs with its original
      String lock = Files.readString(docs.resolve("bikes/lock-it-up.md"));
      try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(base + "docs/" + ADDED))) {
        out.write(lock.replaceFirst("(?s)\\.\\s", ". Read this twice. ").getBytes(StandardCharsets.UTF_8));
      }
      assertEquals(0, doppel(sparkConf, "run", base + "docs", "--out", base + "report", "--state", base + "state"));
      Path second = download(fs, base + "report", tmp.resolve(name + "-report-2"));
      JsonNode summary = new ObjectMapper().readTree(second.resolve("summary.json").toFile());
      JsonNode incremental = summary.get("incremental");
      assertEquals(FILES.size(), incremental.get("unchanged").asInt(), name + ": " + incremental);
      assertEquals(1, incremental.get("new").asInt(), name + ": " + incremental);
      assertEquals(1, summary.get("files_extracted").asInt(), name + ": only the added file is extracted");
      Set<String> newPairs = Csv.read(second.resolve("changes.csv")).stream()
          .filter(r -> r.get("change").equals("new_pair"))
          .map(r -> new TreeSet<>(List.of(r.get("path_a"), r.get("path_b"))).toString()).collect(Collectors.toSet());
      assertEquals(Set.of(new TreeSet<>(List.of(ADDED, "bikes/lock-it-up.md")).toString()), newPairs, name);

      // a folder there that holds a user's file is not replaced
      try (FSDataOutputStream out = fs.create(new org.apache.hadoop.fs.Path(base + "mine/notes.txt"))) {
        out.write("keep me".getBytes(StandardCharsets.UTF_8));
      }
      assertEquals(2, doppel(sparkConf, "run", base + "docs", "--out", base + "mine"));
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(base + "mine/notes.txt")));
      assertEquals(2, doppel(sparkConf, "run", base + "docs", "--out", base + "docs/report"), "an output inside the input");
    } finally {
      fs.close();
    }
  }

  /** The CLI in this JVM with the server's settings as spark-submit would give them ({@code spark.hadoop.*}). */
  private static int doppel(Map<String, String> sparkConf, String... args) throws Exception {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(List.of("--isolation", "thread"));
    long t0 = System.nanoTime();
    int code = SparkHadoopConf.withSettings(sparkConf, () -> DoppelCommand.execute(all.toArray(String[]::new), Map.of(),
        new PrintWriter(new StringWriter()), new PrintWriter(System.err, true)));
    System.err.printf("StorageRunTest: %s: exit %d in %.1f s%n", String.join(" ", args), code, (System.nanoTime() - t0) / 1e9);
    return code;
  }

  private static Path download(FileSystem fs, String from, Path to) throws IOException {
    fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(from), new org.apache.hadoop.fs.Path(to.toUri()), true);
    return to;
  }

  private static Set<String> names(FileSystem fs, String dir) throws IOException {
    Set<String> out = new TreeSet<>();
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(dir))) out.add(s.getPath().getName());
    return out;
  }

  /**
   * The report's tables without documents' modification times (an object store gives a file the time it was uploaded)
   * and its summary, in a folder of their own, for {@link ReportDiff}.
   */
  private static Path withoutTimes(Path report, Path to) throws IOException {
    Files.createDirectories(to);
    for (String table : ReportDiff.TABLES) {
      List<Map<String, String>> rows = Csv.read(report.resolve(table));
      List<String> header = new ArrayList<>(Csv.records(report.resolve(table)).get(0));
      header.remove("modified_ms");
      Csv.write(to.resolve(table), header, rows.iterator(), r -> header.stream().map(r::get).toList());
    }
    Files.copy(report.resolve("summary.json"), to.resolve("summary.json"));
    assertFalse(Csv.read(to.resolve("documents.csv")).isEmpty());
    return to;
  }
}
