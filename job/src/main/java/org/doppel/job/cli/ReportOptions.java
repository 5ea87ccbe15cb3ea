package org.doppel.job.cli;

import org.doppel.job.cluster.KeepPolicy;
import org.doppel.job.report.HtmlReport;
import picocli.CommandLine.Option;

/** How the reports present clusters and pairs, shared by run and rethreshold (a picocli mixin). */
public final class ReportOptions {
  @Option(names = "--keep", paramLabel = "POLICY", description = "Which copy a cluster keeps: largest (most text), oldest, first-path (default: largest; for rethreshold, the report's).")
  String keep;

  @Option(names = "--html-pairs", paramLabel = "N", description = "Pairs report.html lists, each opening to its passages; the rest are in pairs.csv (default ${DEFAULT-VALUE}).")
  int htmlPairs = HtmlReport.DEFAULT_PAIRS;

  /** The --keep policy, or {@code fallback} (a policy's label) when it was not given. */
  KeepPolicy keep(String fallback) {
    return KeepPolicy.parse(keep != null ? keep : fallback);
  }

  /** One line saying what is wrong with these options, or null. */
  String problem() {
    if (htmlPairs < 0) return "--html-pairs must be 0 or more, got " + htmlPairs;
    if (keep == null) return null;
    try {
      KeepPolicy.parse(keep);
      return null;
    } catch (IllegalArgumentException e) {
      return "--keep: " + e.getMessage();
    }
  }
}
