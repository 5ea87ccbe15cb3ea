package org.doppel.job.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The Hadoop configuration file systems are opened with, the same one Spark's readers use: the session's on the
 * driver (and in a local run's executors, which share its JVM); on a cluster's executors, Spark's {@code spark.hadoop.*}
 * settings over Hadoop's defaults, as Spark builds it; before any session exists (checking the options), the
 * {@code spark.hadoop.*} settings spark-submit, {@code spark-defaults.conf} or {@code -D} gave.
 */
public final class HadoopConf {
  private HadoopConf() {}

  public static Configuration get() {
    scala.Option<SparkSession> session = SparkSession.getDefaultSession();
    if (session.isDefined()) return session.get().sparkContext().hadoopConfiguration();
    SparkEnv env = SparkEnv.get();
    return from(env != null ? env.conf() : org.doppel.job.exec.SparkSessions.userConf());
  }

  /** Hadoop's defaults with every {@code spark.hadoop.KEY} of {@code conf} set as {@code KEY}. */
  static Configuration from(SparkConf conf) {
    Configuration c = new Configuration();
    for (Tuple2<String, String> kv : conf.getAllWithPrefix("spark.hadoop.")) c.set(kv._1(), kv._2());
    return c;
  }
}
