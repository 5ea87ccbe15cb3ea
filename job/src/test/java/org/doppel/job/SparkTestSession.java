package org.doppel.job;

import org.apache.spark.sql.SparkSession;
import org.doppel.job.exec.SparkSessions;

/** One real local Spark session (2 cores, as on CI) shared by the job tests of a JVM. */
public final class SparkTestSession {
  private static SparkSession spark;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (spark == null) spark = SparkSessions.create("local[2]", "doppel-test");
    return spark;
  }
}
