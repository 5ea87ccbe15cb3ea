package org.doppel.job.storage;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * Puts a server's {@code spark.hadoop.*} settings into a running session's Hadoop configuration (what a new session
 * would have read from them at start), and takes them out again on close: for tests that share one SparkContext.
 *
 * <pre>{@code
 * try (SparkHadoopConf ignored = SparkHadoopConf.apply(spark, s3.sparkConf())) { spark.read().parquet(...); }
 * }</pre>
 */
public final class SparkHadoopConf implements AutoCloseable {
  private static final String PREFIX = "spark.hadoop.";
  private final Configuration conf;
  private final Map<String, String> previous = new HashMap<>();

  private SparkHadoopConf(Configuration conf) {
    this.conf = conf;
  }

  public static SparkHadoopConf apply(SparkSession spark, Map<String, String> sparkConf) {
    SparkHadoopConf applied = new SparkHadoopConf(spark.sparkContext().hadoopConfiguration());
    sparkConf.forEach((key, value) -> {
      if (!key.startsWith(PREFIX)) throw new IllegalArgumentException("not a spark.hadoop.* key: " + key);
      String hadoopKey = key.substring(PREFIX.length());
      applied.previous.put(hadoopKey, applied.conf.get(hadoopKey));
      applied.conf.set(hadoopKey, value);
    });
    return applied;
  }

  /**
   * Runs {@code work} (the CLI in this JVM) with a server's settings as spark-submit would give them: as
   * {@code spark.hadoop.*} system properties, read by a session the CLI makes and by the checks before it, and in the
   * running session's Hadoop configuration, which the CLI reuses when one is up.
   */
  public static <T> T withSettings(Map<String, String> sparkConf, java.util.concurrent.Callable<T> work) throws Exception {
    sparkConf.forEach(System::setProperty);
    scala.Option<SparkSession> active = SparkSession.getDefaultSession();
    try (SparkHadoopConf ignored = active.isDefined() && !active.get().sparkContext().isStopped()
        ? apply(active.get(), sparkConf) : null) {
      return work.call();
    } finally {
      sparkConf.keySet().forEach(System::clearProperty);
    }
  }

  /** Puts back what each key was before (unset where it was unset). */
  @Override
  public void close() {
    previous.forEach((key, value) -> {
      if (value == null) conf.unset(key);
      else conf.set(key, value);
    });
  }
}
