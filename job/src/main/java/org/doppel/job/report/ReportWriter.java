package org.doppel.job.report;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.collection.JavaConverters;

/** Writes each table as a Parquet dataset (Spark's writer) and a single CSV file, plus summary.json. */
public final class ReportWriter {
  private final Location dir;

  public ReportWriter(java.nio.file.Path dir) {
    this(Location.local(dir));
  }

  public ReportWriter(Location dir) {
    this.dir = dir;
  }

  /**
   * The table as a Parquet dataset written by the executors, and as one CSV file streamed through the driver a
   * partition at a time (in the table's order; the driver never holds more than one partition).
   */
  public void write(Table table) throws IOException {
    Dataset<Row> rows = table.rows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      rows.write().parquet(dir.resolve(table.name() + ".parquet").uri());
      Csv.write(dir.resolve(table.name() + ".csv"), List.of(rows.schema().fieldNames()), rows.toLocalIterator(),
          r -> JavaConverters.seqAsJavaList(r.toSeq()));
    } finally {
      rows.unpersist();
    }
  }

  /** The folder the reports go to (the staging folder while a run writes). */
  public Location dir() {
    return dir;
  }

  public void writeSummary(Map<String, Object> summary) throws IOException {
    dir.resolve("summary.json").writeString(Json.write(summary));
  }
}
