package org.doppel.job.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/** RFC 4180 CSV: header line, fields quoted when they hold a comma, quote or line break; nulls are empty. */
public final class CsvWriter {
  private CsvWriter() {}

  public static void write(List<String> columns, Iterator<Row> rows, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      line(w, columns.toArray());
      while (rows.hasNext()) {
        Row r = rows.next();
        Object[] values = new Object[r.length()];
        for (int i = 0; i < values.length; i++) values[i] = r.get(i);
        line(w, values);
      }
    }
  }

  private static void line(BufferedWriter w, Object[] values) throws IOException {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) w.write(',');
      w.write(field(values[i]));
    }
    w.write("\r\n");
  }

  static String field(Object v) {
    if (v == null) return "";
    String s = v.toString();
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
