package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import org.doppel.job.bench.SyntheticReport;
import org.doppel.job.report.HtmlReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html with 10,000 pairs (records of a generated low-threshold corpus, {@link SyntheticReport}): under 10 MB,
 * and Chromium draws every pair and, when one is opened, its passages. The time it takes is measured by
 * scripts/bench-report-html (BENCHMARKS.md), not asserted here.
 */
class HtmlReportScaleTest {
  static final int PAIRS = 10_000;

  @TempDir
  Path tmp;

  @Test
  void tenThousandPairsMakeAPageUnderTenMegabytesThatShowsThemAll() throws Exception {
    HeadlessChromium.require();
    SyntheticReport r = new SyntheticReport(PAIRS, tmp.resolve("corpus"), 21);
    assertEquals(PAIRS, r.pairs.size());
    HtmlReport html = new HtmlReport(r.summary, r.docs, r.pairs, r.clusters, PAIRS);
    html.write(tmp, r.contexts(html));
    Path page = tmp.resolve("report.html");
    long bytes = Files.size(page);
    assertTrue(bytes < 10_000_000, "report.html at 10,000 pairs: " + bytes + " bytes");

    HeadlessChromium.Page shown = HeadlessChromium.open(page, "pair-" + PAIRS, tmp.resolve("chromium"));
    Files.copy(shown.screenshot(), Path.of("target/report-html-10k-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
    assertTrue(HeadlessChromium.inked(shown.screenshot()) > 0.01, "the screenshot shows the page");
    assertEquals(PAIRS, HtmlReportTest.count(shown.dom(), "<details class=\"pair\""), "every pair listed");
    long clusters = r.clusters.stream().map(c -> c.clusterId()).distinct().count();
    assertTrue(shown.text().contains("Showing " + clusters + " of " + clusters + " clusters and " + PAIRS + " of " + PAIRS
        + " pairs in detail"), "the script ran over every pair");
    // the lowest-scoring pair is its band's first example: the first to get passages
    assertTrue(Pattern.compile("<details class=\"pair\" id=\"pair-" + PAIRS + "\"[^>]* open=\"\"").matcher(shown.dom()).find(),
        "#pair-N opens pair N");
    assertTrue(shown.dom().contains("<div class=\"passage\">"), "the opened pair's passages are drawn");
    assertTrue(shown.externalRequests().isEmpty(), "requests: " + shown.externalRequests());
  }
}
