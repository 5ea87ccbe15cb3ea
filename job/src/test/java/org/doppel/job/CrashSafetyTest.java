package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at seeded random moments of a real `doppel run` (a child JVM): each time the previous report
 * must be exactly as it was and readable; a final run completes and reports the same pairs and clusters.
 */
class CrashSafetyTest {
  @TempDir
  Path tmp;

  @Test
  void killedRunsLeaveThePreviousReportIntact() throws Exception {
    Path docs = TestCorpora.repoRoot().resolve("sample-docs/docs");
    Path out = tmp.resolve("report");
    assertEquals(0, run(docs, out, -1), "first run");
    Map<String, String> before = snapshot(out);
    List<String> pairsBefore = pairsAndClusters(out);
    assertTrue(before.containsKey("pairs.csv") && before.containsKey("clusters.csv"), before.keySet().toString());

    Random rnd = new Random(20261123);
    for (int kill = 0; kill < 3; kill++) {
      long afterMs = 1_500 + rnd.nextInt(13_500); // JVM start to report writing on 2 cores
      int exit = run(docs, out, afterMs);
      if (exit == 0) continue; // finished before the kill: the report was replaced whole, compare below
      assertEquals(before, snapshot(out), "report after SIGKILL at " + afterMs + " ms");
    }
    assertEquals(0, run(docs, out, -1), "rerun");
    assertEquals(pairsBefore, pairsAndClusters(out), "a clean rerun reports the same pairs and clusters");
  }

  /** Runs the CLI in a child JVM; kills it with SIGKILL after {@code killAfterMs} (if >= 0). Returns its exit code. */
  static int run(Path docs, Path out, long killAfterMs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    cmd.addAll(List.of(System.getProperty("doppel.jvm.opens", "").split(" ")).stream().filter(s -> !s.isBlank()).toList());
    cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.doppel.job.cli.Main",
        "run", docs.toString(), "--out", out.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    if (killAfterMs >= 0 && !p.waitFor(killAfterMs, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly(); // SIGKILL
      p.waitFor();
      return 137;
    }
    p.waitFor(10, TimeUnit.MINUTES);
    return p.exitValue();
  }

  /** The pairs (paths) and cluster memberships of a report, read back from its Parquet datasets. */
  static List<String> pairsAndClusters(Path out) {
    List<String> rows = new ArrayList<>();
    SparkTestSession.get().read().parquet(out.resolve("pairs.parquet").toString()).select("path_a", "path_b", "method")
        .collectAsList().forEach(r -> rows.add("pair " + r.mkString(" ")));
    SparkTestSession.get().read().parquet(out.resolve("clusters.parquet").toString()).select("cluster_id", "path", "keep")
        .collectAsList().forEach(r -> rows.add("cluster " + r.mkString(" ")));
    rows.sort(null);
    return rows;
  }

  /** Relative path -> SHA-256 of every file of the report (Parquet part files included). */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String name = dir.relativize(p).toString();
        if (name.endsWith(".crc")) continue;
        try {
          out.put(name.startsWith("documents.parquet") || name.startsWith("pairs.parquet") || name.startsWith("clusters.parquet")
              ? name.replaceAll("part-[^/]*", "part") : name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }
}
