package org.doppel.job.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
  public static String problem(Path dir) {
    if (!Files.isDirectory(dir)) return "--previous " + dir + " is not a folder";
    for (String f : new String[] {"summary.json", "documents.parquet", "pairs.parquet", "clusters.parquet"}) {
      if (!Files.exists(dir.resolve(f))) return "--previous " + dir + " is not a Doppel report (no " + f + ")";
    }
    return null;
  }

  /** The report in {@code dir} (a folder {@link #problem} accepts). */
  public static Previous ofReport(SparkSession spark, Path dir) throws IOException {
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    return of(spark, dir, summary.path("run_id").asText(null), summary.path("threshold").asDouble(Double.NaN));
  }

  /** The three tables under {@code dir}, projected on the columns compared. */
  public static Previous of(SparkSession spark, Path dir, String runId, double threshold) {
    return new Previous(runId, threshold, read(spark, dir, "documents"), read(spark, dir, "pairs"),
        read(spark, dir, "clusters"));
  }

  /** Writes this run's report tables (in {@code reportDir}), projected, into {@code dir} for the next run. */
  public static void keep(SparkSession spark, Path reportDir, Path dir) {
    for (String table : TABLES.keySet()) {
      read(spark, reportDir, table).write().parquet(dir.resolve(table + ".parquet").toUri().toString());
    }
  }

  private static Dataset<Row> read(SparkSession spark, Path dir, String table) {
    return spark.read().parquet(dir.resolve(table + ".parquet").toUri().toString()).selectExpr(TABLES.get(table));
  }
}
