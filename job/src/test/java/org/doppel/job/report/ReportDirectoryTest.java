package org.doppel.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed run leaves the previous report as it was; a finished one replaces it whole. */
class ReportDirectoryTest {
  @TempDir
  Path tmp;

  @Test
  void abortKeepsPreviousAndCommitReplacesIt() throws Exception {
    Path target = tmp.resolve("report");
    Files.createDirectories(target);
    Files.writeString(target.resolve("pairs.csv"), "old");

    ReportDirectory failed = new ReportDirectory(target);
    Files.writeString(failed.begin().resolve("pairs.csv"), "half-written");
    failed.abort();
    assertEquals("old", Files.readString(target.resolve("pairs.csv")));

    ReportDirectory ok = new ReportDirectory(target);
    Path staging = ok.begin();
    Files.writeString(staging.resolve("pairs.csv"), "new");
    assertEquals("old", Files.readString(target.resolve("pairs.csv")), "nothing visible before commit");
    ok.commit();
    assertEquals("new", Files.readString(target.resolve("pairs.csv")));
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count(), "no staging or previous folders left behind");
    }
  }

  @Test
  void previousReportLeftByAnInterruptedSwapIsRestored() throws Exception {
    Path target = tmp.resolve("report");
    Path previous = tmp.resolve(".report.previous");
    Files.createDirectories(previous);
    Files.writeString(previous.resolve("pairs.csv"), "old");
    new ReportDirectory(target).begin();
    assertEquals("old", Files.readString(target.resolve("pairs.csv")));
    assertFalse(Files.exists(previous));
  }

  @Test
  void stagingLeftByAKilledRunIsRemoved() throws Exception {
    Path stale = tmp.resolve(".report.tmp-999999999");
    Files.createDirectories(stale);
    Files.writeString(stale.resolve("pairs.csv"), "half");
    new ReportDirectory(tmp.resolve("report")).begin();
    assertFalse(Files.exists(stale));
  }

  @Test
  void csvQuotesOnlyWhatNeedsIt() {
    assertEquals("plain", CsvWriter.field("plain"));
    assertEquals("\"a,b\"", CsvWriter.field("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", CsvWriter.field("say \"hi\""));
    assertEquals("\"two\nlines\"", CsvWriter.field("two\nlines"));
    assertEquals("", CsvWriter.field(null));
  }
}
