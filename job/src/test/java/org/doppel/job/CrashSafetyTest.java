package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL at seeded random moments of a real `doppel run` (a child JVM): each time the previous report must be
 * exactly as it was and readable (or replaced whole when the kill came after the swap); a final run completes and
 * reports the same as the clean run. Three kills on the six-file sample-docs slice here (crash safety does not
 * depend on the corpus; shorter runs keep the suite fast); scripts/crash-test runs the same drill with 20 or
 * more on the whole of sample-docs.
 */
class CrashSafetyTest {
  @TempDir
  Path tmp;

  @Test
  void killedRunsLeaveThePreviousReportIntact() throws Exception {
    Path docs = TestCorpora.sampleSlice(tmp.resolve("docs"));
    CrashDrill.Result r = new CrashDrill(docs, tmp.resolve("drill"), System.out).run(3, 20261123);
    assertTrue(r.passed(), String.join("\n", r.failures()));
    assertEquals(3, r.kills().size());
    assertTrue(r.count("intact") >= 1, "at least one kill must land before the swap: " + r.kills());
    assertTrue(r.rerun().equal(), "a clean rerun reports the same as the first run: " + r.rerun().differences());
  }
}
