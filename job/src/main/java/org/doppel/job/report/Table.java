package org.doppel.job.report;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** A report table: named, typed columns and rows, written once as Parquet and once as CSV. */
public final class Table {
  private final String name;
  private final List<StructField> columns = new ArrayList<>();
  private final List<Object[]> rows = new ArrayList<>();

  public Table(String name) {
    this.name = name;
  }

  public Table column(String column, DataType type) {
    columns.add(DataTypes.createStructField(column, type, true));
    return this;
  }

  public Table string(String column) {
    return column(column, DataTypes.StringType);
  }

  public Table add(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(name + ": row has " + values.length + " values for " + columns.size() + " columns");
    }
    rows.add(values);
    return this;
  }

  public String name() {
    return name;
  }

  public StructType schema() {
    return DataTypes.createStructType(columns);
  }

  public List<String> columnNames() {
    return columns.stream().map(StructField::name).toList();
  }

  public List<Object[]> rows() {
    return rows;
  }
}
