package org.doppel.job;

import org.apache.spark.sql.SparkSession;
import org.doppel.job.exec.SparkSessions;

/**
 * One real local Spark session (2 cores, as on CI) shared by the job tests of a JVM; made again when a test that
 * runs the CLI in process closed it (the CLI closes the session it ran in).
 */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null || spark.sparkContext().isStopped()) spark = SparkSessions.create("local[2]", "doppel-test");
    return spark;
  }
}
