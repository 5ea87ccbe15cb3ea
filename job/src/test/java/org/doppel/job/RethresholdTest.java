package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.doppel.job.cli.DoppelCommand;
import org.doppel.job.report.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doppel rethreshold}: one run at threshold 0 (every candidate is a pair), then reports at three higher thresholds from its evidence;
 * each equals a fresh run at that threshold (pairs with their reasons and passages, clusters, documents, summary
 * counts). The fresh runs reuse the low run's --state, so they extract and embed nothing but decide everything anew.
 */
class RethresholdTest {
  private static final List<String> FILES = List.of("garden/compost-basics.md", "garden/compost-notes-revised.txt",
      "shared/compost-heap.html", "kitchen/sourdough-starter-care.md", "shared/sourdough-starter.html",
      "kitchen/sourdough-loaf-notes.md", "archive/2023/loaf_method_partial.txt", "bikes/lock-it-up.md",
      "it/password-policy.html", "archive/password_policy_2023.txt", "it/two-factor-basics.pdf",
      "bikes/roadside-puncture-repair.rtf", "bikes/seasonal-bike-care.txt", "garden/worm-bin-flat.odt");

  @TempDir
  Path tmp;

  @Test
  void reportsAtHigherThresholdsEqualFreshRuns() throws Exception {
    Path in = tmp.resolve("docs");
    TestCorpora.copyDocuments(TestCorpora.repoRoot().resolve("sample-docs/docs"), in, FILES);
    Path state = tmp.resolve("state");
    assertEquals(0, doppel("run", in.toString(), "--out", tmp.resolve("low").toString(), "--threshold", "0",
        "--state", state.toString(), "--isolation", "thread"));
    long lowPairs = Csv.read(tmp.resolve("low/pairs.csv")).size();
    long previous = Long.MAX_VALUE;
    for (String t : List.of("0.3", "0.6", "0.9")) {
      assertEquals(0, doppel("rethreshold", tmp.resolve("low").toString(), "--threshold", t, "--out",
          tmp.resolve("re-" + t).toString()));
      assertEquals(0, doppel("run", in.toString(), "--out", tmp.resolve("fresh-" + t).toString(), "--threshold", t,
          "--state", state.toString(), "--isolation", "thread"));
      ReportDiff.Result diff = ReportDiff.compare(tmp.resolve("fresh-" + t), tmp.resolve("re-" + t));
      assertTrue(diff.equal(), t + ": " + diff.differences());
      long pairs = Csv.read(tmp.resolve("re-" + t + "/pairs.csv")).size();
      assertTrue(pairs <= lowPairs && pairs <= previous, "a higher threshold keeps fewer pairs");
      previous = pairs;
      assertTrue(Files.readString(tmp.resolve("re-" + t + "/summary.json")).contains("\"rethreshold_of\""));
    }
    assertTrue(lowPairs > previous, "the thresholds cut something: " + lowPairs + " -> " + previous);
    assertEquals(2, doppel("rethreshold", tmp.resolve("re-0.6").toString(), "--threshold", "0.3", "--out",
        tmp.resolve("lower").toString()), "no evidence below the threshold a report was made at");
    assertEquals(2, doppel("rethreshold", tmp.resolve("low").toString(), "--threshold", "0.5", "--out",
        tmp.resolve("low/inside").toString()), "the output may not be inside the report read");
  }

  private static int doppel(String... args) {
    return DoppelCommand.execute(args, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(System.err, true));
  }
}
