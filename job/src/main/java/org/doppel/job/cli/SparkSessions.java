package org.doppel.job.cli;

import org.apache.spark.sql.SparkSession;

/** Spark sessions as Doppel wants them: quiet, local on loopback unless a cluster master is given. */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession create(String master, String appName) {
    String m = master != null ? master : System.getProperty("spark.master", "local[*]");
    SparkSession.Builder b = SparkSession.builder().appName(appName).master(m)
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.sql.parquet.compression.codec", "snappy");
    if (m.startsWith("local")) {
      // No network needed (or wanted) for a local run: bind to loopback, no web UI.
      // RDD shuffles (joins, groupings) use this many partitions instead of the largest input's count, which
      // unions of small inputs inflate to hundreds of near-empty tasks.
      b.config("spark.default.parallelism", String.valueOf(2 * localCores(m)))
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          // Driver and executors are one JVM, so results already live in its heap: the 1 GiB default bound only
          // fails a run with many decided pairs (e.g. --threshold 0 over 2,000 documents: 1.5 GB of evidence).
          .config("spark.driver.maxResultSize", "0");
    }
    return b.getOrCreate();
  }

  /** Cores of a local master: local, local[N], local[*], local[N,F]. */
  static int localCores(String master) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)").matcher(master);
    if (!m.find() || m.group(1).equals("*")) return master.equals("local") ? 1 : Runtime.getRuntime().availableProcessors();
    return Integer.parseInt(m.group(1));
  }
}
