package org.doppel.job.report;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** A report table: its name and its rows (distributed, sorted as the report shows them), written as Parquet and CSV. */
public record Table(String name, Dataset<Row> rows) {

  /** Named, typed columns, in report order (the contract users read). */
  public static final class Columns {
    private final List<StructField> fields = new ArrayList<>();

    public Columns column(String column, DataType type) {
      fields.add(DataTypes.createStructField(column, type, true));
      return this;
    }

    public Columns string(String column) {
      return column(column, DataTypes.StringType);
    }

    public StructType schema() {
      return DataTypes.createStructType(fields);
    }
  }
}
