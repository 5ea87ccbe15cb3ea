package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.doppel.job.eval.Truth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spark-submit jar on a real standalone Spark cluster: scripts/cluster-test starts a master and two
 * workers on loopback (Spark's own jars, no Doppel classes on their classpath), submits the jar with Spark's
 * SparkSubmit, runs the same folder locally and compares the reports. Kept cheap: the six-file sample-docs
 * slice (one cluster in five formats and a same-topic document that must stay out of it).
 */
class StandaloneClusterTest {
  @TempDir
  Path tmp;

  @Test
  void sparkSubmitOnAStandaloneClusterReportsWhatALocalRunReports() throws Exception {
    Path docs = TestCorpora.sampleSlice(tmp.resolve("docs"));
    Path work = tmp.resolve("work");
    Path log = tmp.resolve("cluster-test.log");
    ProcessBuilder pb = new ProcessBuilder(TestCorpora.repoRoot().resolve("scripts/cluster-test").toString(),
        "--input", docs.toString(), "--work", work.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("DOPPEL_BUILD", "package-only"); // this Maven run has compiled everything already
    Process p = pb.start();
    boolean ended = p.waitFor(30, TimeUnit.MINUTES);
    if (!ended) p.destroyForcibly();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    String tail = out.substring(Math.max(0, out.length() - 4000));
    assertTrue(ended, "cluster-test did not finish in 30 minutes:\n" + tail);
    assertEquals(0, p.exitValue(), "cluster-test failed:\n" + tail);
    assertTrue(out.contains("standalone cluster (2 executors x 1 core)") && out.contains("reports equal"), tail);

    // What the cluster found, checked against the corpus truth: the five policy files pair up, the other does not.
    Map<String, String> truth = Truth.clusters(TestCorpora.repoRoot().resolve("sample-docs/clusters.csv"));
    TreeSet<String> expected = new TreeSet<>();
    for (String a : TestCorpora.SAMPLE_SLICE) {
      for (String b : TestCorpora.SAMPLE_SLICE) {
        if (a.compareTo(b) < 0 && truth.get(a).equals(truth.get(b))) expected.add(a + " | " + b);
      }
    }
    TreeSet<String> found = new TreeSet<>();
    List<List<String>> pairs = ReportDiff.readCsv(work.resolve("report-cluster/pairs.csv"), new ArrayList<>());
    int pa = pairs.get(0).indexOf("path_a"), pb2 = pairs.get(0).indexOf("path_b");
    for (List<String> row : pairs.subList(1, pairs.size())) found.add(row.get(pa) + " | " + row.get(pb2));
    assertEquals(10, expected.size());
    assertEquals(expected, found, "pairs of the cluster run");
  }
}
