package org.doppel.job.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.doppel.job.report.HtmlReport;

/**
 * Writes report.html for a {@link SyntheticReport} of N pairs, HTML_PAIRS of them in detail (default all, as
 * {@code --html-pairs}), into WORK/report/report.html (the documents into WORK/corpus) and prints its size. Used by
 * scripts/bench-report-html, which times Chromium rendering it. Usage: HtmlReportBench PAIRS WORK [HTML_PAIRS].
 */
public final class HtmlReportBench {
  private HtmlReportBench() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    Path work = Path.of(args[1]);
    SyntheticReport r = new SyntheticReport(n, work.resolve("corpus"), 21);
    Path out = Files.createDirectories(work.resolve("report"));
    long t0 = System.nanoTime();
    HtmlReport html = new HtmlReport(r.summary, r.docs, r.pairs, r.clusters, args.length > 2 ? Integer.parseInt(args[2]) : n);
    html.write(out, r.contexts(html));
    System.out.printf(Locale.ROOT, "pairs %d documents %d clusters %d page_bytes %d write_s %.2f%n", r.pairs.size(),
        r.docs.size(), r.clusters.stream().map(c -> c.clusterId()).distinct().count(), Files.size(out.resolve("report.html")),
        (System.nanoTime() - t0) / 1e9);
  }
}
