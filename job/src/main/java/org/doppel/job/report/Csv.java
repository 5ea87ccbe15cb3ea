package org.doppel.job.report;

import java.io.Writer;
import org.doppel.job.storage.Location;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * Every CSV Doppel reads or writes goes through commons-csv with these formats: RFC 4180 (fields quoted when
 * they hold a comma, quote or line break; quotes doubled), a header line, nulls as empty cells. Report files end
 * records with CRLF as RFC 4180 says (and as they always have); tables printed to a console end lines with LF.
 */
public final class Csv {
  /** Report files (pairs.csv, clusters.csv, documents.csv, ...). */
  public static final CSVFormat FILE = CSVFormat.RFC4180.builder().setRecordSeparator("\r\n").get();
  /** Tables printed for line-based tools (doppel eval's output). */
  public static final CSVFormat CONSOLE = FILE.builder().setRecordSeparator("\n").get();
  /** Reading: either line ending, blank lines between records skipped (hand-edited truth files have them). */
  private static final CSVFormat READ = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get();

  private Csv() {}

  /** A printer for a report file (UTF-8) whose header is written first; the caller closes it. */
  public static CSVPrinter writer(Path file, List<String> header) throws IOException {
    return writer(Location.local(file), header);
  }

  /** A printer for a report file (UTF-8) on any file system whose header is written first; the caller closes it. */
  public static CSVPrinter writer(Location file, List<String> header) throws IOException {
    Writer w = file.writer();
    try {
      return FILE.builder().setHeader(header.toArray(String[]::new)).get().print(w);
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** A printer for a console table: header first, LF line ends; closing it leaves {@code out} open. */
  public static CSVPrinter console(Appendable out, String... header) throws IOException {
    return CONSOLE.builder().setHeader(header).get().print(new NonClosing(out));
  }

  /** Writes a report file: header, then one record per row, each row's cells from {@code cells}. */
  public static <T> void write(Path file, List<String> header, Iterator<T> rows, Function<T, Iterable<?>> cells)
      throws IOException {
    write(Location.local(file), header, rows, cells);
  }

  /** {@link #write(Path, List, Iterator, Function)} on any file system. */
  public static <T> void write(Location file, List<String> header, Iterator<T> rows, Function<T, Iterable<?>> cells)
      throws IOException {
    try (CSVPrinter p = writer(file, header)) {
      while (rows.hasNext()) p.printRecord(cells.apply(rows.next()));
    }
  }

  /** Records as lists of cells, the header first (empty for an empty file). Throws on an unterminated quote. */
  public static List<List<String>> records(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser p = READ.parse(r)) {
      List<List<String>> out = new ArrayList<>();
      for (CSVRecord rec : p) out.add(rec.toList());
      return out;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Rows as column -> cell maps in file order (a short row lacks the missing columns' keys). */
  public static List<Map<String, String>> read(Path file) throws IOException {
    List<List<String>> records = records(file);
    if (records.isEmpty()) return List.of();
    List<String> header = records.get(0);
    List<Map<String, String>> rows = new ArrayList<>(records.size() - 1);
    for (List<String> r : records.subList(1, records.size())) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < Math.min(header.size(), r.size()); i++) row.put(header.get(i), r.get(i));
      rows.add(row);
    }
    return rows;
  }

  /** Keeps System.out open when a console printer is closed. */
  private record NonClosing(Appendable out) implements Appendable {
    @Override
    public Appendable append(CharSequence s) throws IOException {
      out.append(s);
      return this;
    }

    @Override
    public Appendable append(CharSequence s, int start, int end) throws IOException {
      out.append(s, start, end);
      return this;
    }

    @Override
    public Appendable append(char c) throws IOException {
      out.append(c);
      return this;
    }
  }
}
