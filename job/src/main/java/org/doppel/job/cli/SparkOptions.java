package org.doppel.job.cli;

import picocli.CommandLine.Option;

/** Where and how a command's Spark job runs and reports: the options every Spark command shares. */
public class SparkOptions {
  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark.master if set by spark-submit, else local[*]).")
  String master;

  @Option(names = "--verbose", description = "Stack traces on errors and Spark's own logging.")
  boolean verbose;

  @Option(names = "--progress", paramLabel = "FORMAT", description = "text (default ${DEFAULT-VALUE}) or json: one JSON object per line on stderr (event, stage, done, total, unit, rate, eta_s, elapsed_s), the summary last.")
  String progress = "text";

  @Option(names = "--spark-ui", description = "Serve Spark's web UI during a local run (on 127.0.0.1) and print its address.")
  boolean sparkUi;

  /** What is wrong with these options, in one line, or null. */
  String problem() {
    return "text".equals(progress) || "json".equals(progress) ? null : "--progress must be text or json, got " + progress;
  }
}
