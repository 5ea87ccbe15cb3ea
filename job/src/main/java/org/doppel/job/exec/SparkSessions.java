package org.doppel.job.exec;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions as Doppel wants them (quiet, local on loopback unless a cluster master is given), where the
 * user's own Spark settings win: anything set by {@code spark-submit --conf}, {@code spark-defaults.conf} (read by
 * spark-submit, or from {@code SPARK_CONF_DIR} / {@code SPARK_HOME/conf} for a plain local run) or a
 * {@code -Dspark.*} property is kept; Doppel only fills what was left unset, and records which keys it filled.
 */
public final class SparkSessions {
  /** Session setting listing the keys Doppel filled (summary.json shows them with their values). */
  public static final String FILLED = "spark.doppel.filledDefaults";

  private SparkSessions() {}

  public static SparkSession create(String master, String appName) {
    return create(master, appName, false);
  }

  /** With {@code ui}: a local run serves the Spark UI (on loopback) and prints its address. */
  public static SparkSession create(String master, String appName, boolean ui) {
    SparkConf user = userConf();
    String m = master != null ? master : user.get("spark.master", "local[*]");
    Map<String, String> d = defaults(m);
    d.putAll(gpuDefaults(user));
    Map<String, String> filled = fill(user, d);
    SparkSession.Builder b = SparkSession.builder().appName(appName).master(m).config(user);
    filled.forEach(b::config);
    if (ui) b.config("spark.ui.enabled", "true");
    b.config(FILLED, String.join(",", filled.keySet()));
    SparkSession spark = b.getOrCreate();
    if (ui && spark.sparkContext().uiWebUrl().isDefined()) {
      System.err.println("doppel: Spark UI at " + spark.sparkContext().uiWebUrl().get());
    }
    return spark;
  }

  /**
   * The settings the user gave: spark.* system properties (spark-submit's --conf and spark-defaults.conf, or -D), then
   * the spark-defaults.conf of SPARK_CONF_DIR or SPARK_HOME/conf for what those left unset.
   */
  public static SparkConf userConf() {
    SparkConf user = new SparkConf();
    Path confDir = confDir();
    if (confDir != null) addUnset(user, confDir.resolve("spark-defaults.conf"));
    return user;
  }

  /** What Doppel would set for this master. */
  static Map<String, String> defaults(String master) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("spark.sql.shuffle.partitions", "8");
    d.put("spark.sql.parquet.compression.codec", "snappy");
    if (master.startsWith("local")) {
      // RDD shuffles (joins, groupings) use this many partitions instead of the largest input's count, which
      // unions of small inputs inflate to hundreds of near-empty tasks.
      d.put("spark.default.parallelism", String.valueOf(2 * localCores(master)));
      // No network needed (or wanted) for a local run: bind to loopback, no web UI unless asked.
      d.put("spark.ui.enabled", "false");
      d.put("spark.driver.host", "127.0.0.1");
      d.put("spark.driver.bindAddress", "127.0.0.1");
      // Driver and executors are one JVM, so results already live in its heap: the 1 GiB default bound only
      // fails a run with many decided pairs (e.g. --threshold 0 over 2,000 documents: 1.5 GB of evidence).
      d.put("spark.driver.maxResultSize", "0");
    }
    return d;
  }

  /**
   * GPU scheduling (README, GPU on a cluster): when the executors ask Spark for a GPU each
   * ({@code spark.executor.resource.gpu.amount} = 1) and the tasks ask for none, every task asks for
   * 1/{@code spark.executor.cores} of one, so all of an executor's tasks run at once and share its GPU (Spark
   * hands each task the executor's GPU address; the model loads once per executor).
   */
  static Map<String, String> gpuDefaults(SparkConf user) {
    Map<String, String> d = new LinkedHashMap<>();
    if (user.getDouble("spark.executor.resource.gpu.amount", 0) > 0) {
      int cores = Math.max(1, user.getInt("spark.executor.cores", 1));
      d.put("spark.task.resource.gpu.amount", cores == 1 ? "1" : String.valueOf(1.0 / cores));
    }
    return d;
  }

  /** The defaults the user left unset (these are the ones Doppel sets). */
  static Map<String, String> fill(SparkConf user, Map<String, String> defaults) {
    Map<String, String> filled = new LinkedHashMap<>();
    defaults.forEach((k, v) -> {
      if (!user.contains(k)) filled.put(k, v);
    });
    return filled;
  }

  /** Adds the settings of a spark-defaults.conf (Java properties syntax, as Spark reads it) that are not set yet. */
  static void addUnset(SparkConf conf, Path file) {
    if (!Files.isRegularFile(file)) return;
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    for (String k : p.stringPropertyNames()) {
      if (k.startsWith("spark.") && !conf.contains(k)) conf.set(k, p.getProperty(k).trim());
    }
  }

  /** Where spark-defaults.conf lives for a run not started by spark-submit: SPARK_CONF_DIR, else SPARK_HOME/conf. */
  private static Path confDir() {
    String dir = System.getenv("SPARK_CONF_DIR");
    if (dir != null && !dir.isBlank()) return Path.of(dir);
    String home = System.getenv("SPARK_HOME");
    return home != null && !home.isBlank() ? Path.of(home, "conf") : null;
  }

  /** The settings Doppel filled in this session, with their values (for summary.json). */
  public static Map<String, String> filled(SparkSession spark) {
    Map<String, String> out = new LinkedHashMap<>();
    String keys = spark.conf().get(FILLED, "");
    Arrays.stream(keys.split(",")).filter(k -> !k.isEmpty()).forEach(k -> out.put(k, spark.conf().get(k, "")));
    return out;
  }

  /** Cores of a local master: local, local[N], local[*], local[N,F]. */
  public static int localCores(String master) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\d+|\\*)").matcher(master);
    if (!m.find() || m.group(1).equals("*")) return master.equals("local") ? 1 : Runtime.getRuntime().availableProcessors();
    return Integer.parseInt(m.group(1));
  }
}
