package org.doppel.job.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Writes each table as a Parquet dataset (Spark's writer) and a single CSV file, plus summary.json. */
public final class ReportWriter {
  private final SparkSession spark;
  private final Path dir;

  public ReportWriter(SparkSession spark, Path dir) {
    this.spark = spark;
    this.dir = dir;
  }

  public void write(Table table) throws IOException {
    List<Row> rows = new ArrayList<>(table.rows().size());
    for (Object[] r : table.rows()) rows.add(RowFactory.create(r));
    spark.createDataFrame(rows, table.schema()).coalesce(1).write()
        .parquet(dir.resolve(table.name() + ".parquet").toUri().toString());
    CsvWriter.write(table, dir.resolve(table.name() + ".csv"));
  }

  /** The folder the reports go to (the staging folder while a run writes). */
  public Path dir() {
    return dir;
  }

  public void writeSummary(Map<String, Object> summary) throws IOException {
    Files.writeString(dir.resolve("summary.json"), Json.write(summary), StandardCharsets.UTF_8);
  }
}
