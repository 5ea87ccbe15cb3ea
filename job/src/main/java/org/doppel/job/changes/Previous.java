package org.doppel.job.changes;

import org.doppel.job.output.OutputFolder;
import org.doppel.job.storage.Location;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What an earlier run reported, as much as {@link Changes} compares: its documents ({@code doc_id, path, sha256}),
 * pairs ({@code doc_a, doc_b, path_a, path_b, score}) and cluster memberships ({@code doc_id, cluster_id, path}), read
 * lazily from Parquet (a report folder, or the copy a {@code --state} folder keeps of its run's report).
 */
public record Previous(String runId, double threshold, Dataset<Row> documents, Dataset<Row> pairs, Dataset<Row> clusters) {
  /** The report tables compared, and their columns compared. */
  static final Map<String, String[]> TABLES = Map.of("documents", new String[] {"doc_id", "path", "sha256"},
      "pairs", new String[] {"doc_a", "doc_b", "path_a", "path_b", "score"}, "clusters", new String[] {"doc_id", "cluster_id", "path"});

  /** Why {@code dir} cannot serve as {@code --previous} (not a Doppel report), or null. */
  public static String problem(Location dir) {
    try {
      if (!dir.isDirectory()) return "--previous " + dir + " is not a folder";
      for (String f : new String[] {"summary.json", "documents.parquet", "pairs.parquet", "clusters.parquet"}) {
        if (!dir.resolve(f).exists()) return "--previous " + dir + " is not a Doppel report (no " + f + ")";
      }
      return OutputFolder.isFinished(dir) ? null : "--previous " + dir + " was not finished by the run that wrote it";
    } catch (IOException e) {
      return "--previous " + dir + " cannot be read: " + e.getMessage();
    }
  }

  /** The report in {@code dir} (a folder {@link #problem} accepts). */
  public static Previous ofReport(SparkSession spark, Location dir) throws IOException {
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").readString());
    return of(spark, dir, summary.path("run_id").asText(null), summary.path("threshold").asDouble(Double.NaN));
  }

  /** The three tables under {@code dir}, projected on the columns compared. */
  public static Previous of(SparkSession spark, Location dir, String runId, double threshold) {
    return new Previous(runId, threshold, read(spark, dir, "documents"), read(spark, dir, "pairs"),
        read(spark, dir, "clusters"));
  }

  /** Writes this run's report tables (in {@code reportDir}), projected, into {@code dir} for the next run. */
  public static void keep(SparkSession spark, Location reportDir, Location dir) {
    for (String table : TABLES.keySet()) {
      read(spark, reportDir, table).write().parquet(dir.resolve(table + ".parquet").uri());
    }
  }

  private static Dataset<Row> read(SparkSession spark, Location dir, String table) {
    return spark.read().parquet(dir.resolve(table + ".parquet").uri()).selectExpr(TABLES.get(table));
  }
}
