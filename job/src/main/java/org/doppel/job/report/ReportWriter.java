package org.doppel.job.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.collection.JavaConverters;

/** Writes each table as a Parquet dataset (Spark's writer) and a single CSV file, plus summary.json. */
public final class ReportWriter {
  private final Path dir;

  public ReportWriter(Path dir) {
    this.dir = dir;
  }

  /**
   * The table as a Parquet dataset written by the executors, and as one CSV file streamed through the driver a
   * partition at a time (in the table's order; the driver never holds more than one partition).
   */
  public void write(Table table) throws IOException {
    Dataset<Row> rows = table.rows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      rows.write().parquet(dir.resolve(table.name() + ".parquet").toUri().toString());
      Csv.write(dir.resolve(table.name() + ".csv"), List.of(rows.schema().fieldNames()), rows.toLocalIterator(),
          r -> JavaConverters.seqAsJavaList(r.toSeq()));
    } finally {
      rows.unpersist();
    }
  }

  /** The folder the reports go to (the staging folder while a run writes). */
  public Path dir() {
    return dir;
  }

  public void writeSummary(Map<String, Object> summary) throws IOException {
    Files.writeString(dir.resolve("summary.json"), Json.write(summary), StandardCharsets.UTF_8);
  }
}
