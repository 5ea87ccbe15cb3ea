package org.doppel.job.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's Spark settings beat Doppel's defaults, from spark-submit's --conf and from spark-defaults.conf. */
class SparkSessionsTest {
  @Test
  void doppelFillsOnlyWhatTheUserLeftUnset(@TempDir Path confDir) throws Exception {
    SparkConf user = new SparkConf(false).set("spark.sql.shuffle.partitions", "64"); // as --conf would
    Files.writeString(confDir.resolve("spark-defaults.conf"), """
        # a site's defaults
        spark.sql.parquet.compression.codec   zstd
        spark.sql.shuffle.partitions          16
        spark.ui.enabled=true
        not.spark.key  1
        """);
    SparkSessions.addUnset(user, confDir.resolve("spark-defaults.conf"));
    assertEquals("64", user.get("spark.sql.shuffle.partitions"), "--conf beats spark-defaults.conf");
    assertEquals("zstd", user.get("spark.sql.parquet.compression.codec"));
    assertFalse(user.contains("not.spark.key"));

    Map<String, String> filled = SparkSessions.fill(user, SparkSessions.defaults("local[2]"));
    assertFalse(filled.containsKey("spark.sql.shuffle.partitions"));
    assertFalse(filled.containsKey("spark.sql.parquet.compression.codec"));
    assertFalse(filled.containsKey("spark.ui.enabled"), "the site turned the UI on: Doppel does not turn it off");
    assertEquals("4", filled.get("spark.default.parallelism"), "2 x local cores, filled");
    assertEquals("127.0.0.1", filled.get("spark.driver.bindAddress"));
    assertFalse(SparkSessions.fill(new SparkConf(false), SparkSessions.defaults("spark://h:7077"))
        .containsKey("spark.driver.bindAddress"), "a cluster's driver is not bound to loopback");
  }

  /** One executor per GPU: its tasks share the GPU (1 / executor cores each) unless the user says otherwise. */
  @Test
  void gpuExecutorsShareTheirGpuAmongTheirTasks() {
    assertEquals(Map.of(), SparkSessions.gpuDefaults(new SparkConf(false)));
    SparkConf gpu = new SparkConf(false).set("spark.executor.resource.gpu.amount", "1").set("spark.executor.cores", "4");
    assertEquals(Map.of("spark.task.resource.gpu.amount", "0.25"), SparkSessions.gpuDefaults(gpu));
    assertEquals(Map.of("spark.task.resource.gpu.amount", "1"),
        SparkSessions.gpuDefaults(new SparkConf(false).set("spark.executor.resource.gpu.amount", "1")));
    gpu.set("spark.task.resource.gpu.amount", "0.5");
    assertEquals(Map.of(), SparkSessions.fill(gpu, SparkSessions.gpuDefaults(gpu)), "the user's task amount wins");
  }
}
