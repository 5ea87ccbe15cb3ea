package org.doppel.job.corpus;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.doppel.extractors.ExtractionStatus;
import org.doppel.extractors.LexicalSketch;
import org.doppel.extractors.TextNormalizer;
import org.doppel.job.RunConfig;
import org.doppel.job.RunSummary;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.InputFile;
import org.doppel.job.data.TextTable;
import org.doppel.job.report.ReportTables;
import org.doppel.job.state.PreviousState;

/**
 * {@code --text-table}: rows of Parquet or JSONL tables as documents whose text is already extracted. Each row skips
 * Tika and joins the files' documents before exact groups and embedding; the table's other columns are carried into
 * the report's {@code documents} table by {@code doc_id}. Read with Spark's readers (any Hadoop URI), the rows stay
 * distributed: the driver holds schemas, column names and counts.
 *
 * <p>A row's {@code doc_id} is a hash of {@code NAME/id} (as a file's is of {@code NAME/relative path}); its
 * {@code path} is {@code NAME/id} when the run has several inputs (folders, the {@code --files-from} files, tables),
 * else the id. A row without an id (null or blank), and every row of an id that occurs more than once, is an
 * {@code error} row and is not read: such rows are told apart by {@code #k} (k = 1..n in the order of their text and
 * other columns) in their path and id. A null or blank text is {@code empty}, a text of the extractors' character
 * limit or more {@code too_large}, like a file's; a JSONL line that is no JSON object is an {@code error} row.
 *
 * <p>Other columns keep their names in the report, null for documents from files; one named like a column of the
 * documents table is reported as {@code table_NAME} (one line on stderr). Arrays, structs and maps are carried as
 * JSON text, binary values as base64, so the Parquet and CSV reports hold the same values; a column two tables give
 * with different types is text.
 */
public final class TextTables {
  /** Lines of a JSONL table whose columns are checked before the run (the run infers them from every line). */
  static final int SAMPLE_LINES = 1000;
  private static final long SAMPLE_CHARS = 16L << 20;
  /** Files of a table folder looked at to tell its format. */
  private static final int FORMAT_FILES = 1000;
  /** The path of a row without an id, before its {@code #k}. */
  public static final String NO_ID = "(no id)";
  /** Renamed extra columns get this prefix (again, until the name is free). */
  public static final String RENAMED = "table_";
  private static final String P = "_doppel_";
  private static final String DOC_ID = P + "doc_id", PATH = P + "path", ID = P + "id", N = P + "n", K = P + "k",
      TEXT = P + "text", BAD = P + "malformed";

  /** A table that cannot be used as given: a usage error (exit 2, this one line), found before any work starts. */
  public static final class Unusable extends RuntimeException {
    public Unusable(String message) {
      super(message, null, false, false);
    }
  }

  /** One table read: its rows with id, path and rank columns and its extra columns (names as reported). */
  private record Loaded(TextTable table, Dataset<Row> prepared, List<String> extras) {}

  public static final TextTables NONE = new TextTables(List.of(), new LinkedHashMap<>());

  private final List<Loaded> loaded;
  /** The extra columns of all tables, as reported, with their report type. */
  private final LinkedHashMap<String, DataType> columns;

  private TextTables(List<Loaded> loaded, LinkedHashMap<String, DataType> columns) {
    this.loaded = loaded;
    this.columns = columns;
  }

  // ---- before the run: formats and columns, from the schema only ----

  /**
   * The tables with their format decided (by the extension, or a folder's file names) and their id and text columns
   * found, reading only their schema: Parquet footers, or a JSONL table's first {@value #SAMPLE_LINES} lines.
   *
   * @throws Unusable naming the table that is missing, unreadable, of unknown format, or lacks a column
   */
  public static List<TextTable> check(SparkSession spark, List<TextTable> tables) {
    List<TextTable> out = new ArrayList<>();
    for (TextTable t : tables) out.add(check(spark, t));
    return out;
  }

  static TextTable check(SparkSession spark, TextTable t) {
    String what = "--text-table " + t.location();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    FileSystem fs;
    List<FileStatus> files;
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(t.location());
      fs = p.getFileSystem(conf);
      files = dataFiles(fs, p);
    } catch (IOException | RuntimeException e) {
      throw new Unusable(what + " cannot be read: " + oneLine(e));
    }
    if (files == null) throw new Unusable(what + ": no such file or folder");
    if (files.isEmpty()) throw new Unusable(what + " holds no data files");
    String format = TextTable.AUTO.equals(t.format()) ? format(what, files) : t.format();
    StructType schema;
    try {
      schema = TextTable.PARQUET.equals(format) ? spark.read().parquet(t.location()).schema()
          : jsonSchema(spark, fs, files, conf, what);
    } catch (Unusable e) {
      throw e;
    } catch (Exception e) { // Spark's AnalysisException is checked but undeclared
      throw new Unusable(what + " cannot be read as " + format + ": " + oneLine(e));
    }
    String id = column(schema, t.idColumn(), "--id-column", what);
    String text = column(schema, t.textColumn(), "--text-column", what);
    if (id.equals(text)) throw new Unusable(what + ": --id-column and --text-column both name column " + id);
    DataType idType = schema.apply(id).dataType(), textType = schema.apply(text).dataType();
    if (!(idType instanceof AtomicType) || idType instanceof BinaryType) {
      throw new Unusable(what + ": column " + id + " (--id-column) holds " + idType.simpleString()
          + ", not an id (text, a number or a date)");
    }
    if (!(textType instanceof StringType) && !(textType instanceof BinaryType)) {
      throw new Unusable(what + ": column " + text + " (--text-column) holds " + textType.simpleString()
          + ", not text");
    }
    return t.resolved(format, id, text);
  }

  /**
   * The data files {@code p} names (a file, the files under a folder at any depth, or a glob's matches), without
   * hidden ones (a name starting with {@code _} or {@code .}, as Spark skips them), sorted, at most
   * {@value #FORMAT_FILES}; null when nothing is there.
   */
  static List<FileStatus> dataFiles(FileSystem fs, org.apache.hadoop.fs.Path p) throws IOException {
    FileStatus[] matched = fs.globStatus(p);
    if (matched == null || matched.length == 0) return null;
    List<FileStatus> out = new ArrayList<>();
    for (FileStatus m : matched) {
      if (m.isFile()) {
        out.add(m);
        continue;
      }
      String root = m.getPath().toUri().getPath();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
      while (it.hasNext() && out.size() < FORMAT_FILES) {
        LocatedFileStatus f = it.next();
        String rel = f.getPath().toUri().getPath();
        rel = rel.startsWith(root) ? rel.substring(root.length()) : f.getPath().getName();
        if (Arrays.stream(rel.split("/")).noneMatch(s -> s.startsWith("_") || s.startsWith("."))) out.add(f);
      }
      if (out.size() >= FORMAT_FILES) break;
    }
    out.sort(Comparator.comparing(f -> f.getPath().toString()));
    return out;
  }

  /** The format the files' names say, all alike. */
  static String format(String what, List<FileStatus> files) {
    int parquet = 0, json = 0;
    for (FileStatus f : files) {
      String fmt = TextTable.formatOfName(f.getPath().getName());
      if (TextTable.PARQUET.equals(fmt)) parquet++;
      if (TextTable.JSONL.equals(fmt)) json++;
    }
    if (parquet > 0 && json == 0) return TextTable.PARQUET;
    if (json > 0 && parquet == 0) return TextTable.JSONL;
    if (parquet > 0) {
      throw new Unusable(what + " holds both Parquet and JSON files: give --text-table-format parquet or jsonl");
    }
    throw new Unusable(what + ": its format cannot be told from the name " + files.get(0).getPath().getName()
        + " (.parquet, .jsonl, .ndjson, .json): give --text-table-format parquet or jsonl");
  }

  /** The columns Spark infers from the first lines of a JSONL table (compressed files are read through their codec). */
  private static StructType jsonSchema(SparkSession spark, FileSystem fs, List<FileStatus> files, Configuration conf,
                                       String what) throws IOException {
    List<String> lines = new ArrayList<>();
    long chars = 0;
    CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
    for (FileStatus f : files) {
      if (lines.size() >= SAMPLE_LINES || chars >= SAMPLE_CHARS) break;
      CompressionCodec codec = codecs.getCodec(f.getPath());
      try (InputStream raw = fs.open(f.getPath());
           InputStream in = codec == null ? raw : codec.createInputStream(raw);
           BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; lines.size() < SAMPLE_LINES && chars < SAMPLE_CHARS && (line = r.readLine()) != null; ) {
          if (line.isBlank()) continue;
          lines.add(line);
          chars += line.length();
        }
      }
    }
    if (lines.isEmpty()) throw new Unusable(what + " holds no JSON lines (JSONL: one JSON object a line)");
    return spark.read().json(spark.createDataset(lines, Encoders.STRING())).schema();
  }

  /** The table's spelling of column {@code wanted} (exact, else the one column equal to it ignoring case). */
  private static String column(StructType schema, String wanted, String option, String what) {
    List<String> names = Arrays.asList(schema.fieldNames());
    if (names.contains(wanted)) return wanted;
    List<String> alike = names.stream().filter(n -> n.equalsIgnoreCase(wanted)).toList();
    if (alike.size() == 1) return alike.get(0);
    String listed = String.join(", ", names.size() > 20 ? names.subList(0, 20) : names)
        + (names.size() > 20 ? ", ..." : "");
    throw new Unusable(what + " has no column '" + wanted + "' (" + option + "); its columns: " + listed);
  }

  // ---- in the run ----

  /**
   * Reads the run's tables (a JSONL table's columns are inferred from all its lines, once, here) and decides how its
   * extra columns are reported; renamed ones are said on {@code err}, one line each. Nothing is collected.
   */
  public static TextTables load(SparkSession spark, RunConfig cfg, PrintStream err) {
    if (cfg.tables().isEmpty()) return NONE;
    boolean prefix = cfg.inputs().size() + (cfg.files().isEmpty() ? 0 : 1) + cfg.tables().size() > 1;
    String corrupt = spark.conf().get("spark.sql.columnNameOfCorruptRecord", "_corrupt_record");
    Set<String> reserved = new HashSet<>(List.of("_order"));
    for (String f : ReportTables.DOCUMENTS.fieldNames()) reserved.add(lower(f));
    LinkedHashMap<String, String> nameOf = new LinkedHashMap<>(); // lower-case -> reported name, all tables
    Map<String, DataType> typeOf = new HashMap<>();
    List<Loaded> loaded = new ArrayList<>();
    for (TextTable t : cfg.tables()) {
      Dataset<Row> raw = TextTable.PARQUET.equals(t.format()) ? spark.read().parquet(t.location())
          : spark.read().json(t.location());
      StructType schema = raw.schema();
      String what = "--text-table " + t.location();
      String id = column(schema, t.idColumn(), "--id-column", what);
      String text = column(schema, t.textColumn(), "--text-column", what);
      boolean malformed = TextTable.JSONL.equals(t.format()) && Arrays.asList(schema.fieldNames()).contains(corrupt);
      String bad = malformed ? corrupt : null;
      LinkedHashMap<String, Column> extras = new LinkedHashMap<>();
      Set<String> taken = new HashSet<>();
      for (StructField f : schema.fields()) {
        String n = f.name();
        if (n.equals(id) || n.equals(text) || n.equals(bad)) continue;
        String reported = n;
        while (reserved.contains(lower(reported)) || lower(reported).startsWith(P) || taken.contains(lower(reported))) {
          reported = RENAMED + reported;
        }
        if (!reported.equals(n)) {
          err.println("doppel: text table " + t.name() + ": column '" + n + "' is reported as '" + reported
              + "' (the documents table has a column '" + n + "' of its own)");
        }
        taken.add(lower(reported));
        extras.put(reported, reportReady(col(quoted(n)), f.dataType()));
        DataType type = reportType(f.dataType());
        nameOf.putIfAbsent(lower(reported), reported);
        DataType before = typeOf.putIfAbsent(lower(reported), type);
        if (before != null && !before.equals(type)) typeOf.put(lower(reported), DataTypes.StringType);
      }
      err.flush();
      loaded.add(new Loaded(t, prepared(raw, t, id, text, bad, extras, prefix), List.copyOf(extras.keySet())));
    }
    LinkedHashMap<String, DataType> columns = new LinkedHashMap<>();
    nameOf.forEach((key, name) -> columns.put(name, typeOf.get(key)));
    return new TextTables(loaded, columns);
  }

  /** The table's rows with their id, rank among rows of the same id, doc_id and path; its text and extra columns. */
  private static Dataset<Row> prepared(Dataset<Row> raw, TextTable t, String id, String text, String bad,
                                       Map<String, Column> extras, boolean prefix) {
    Column idValue = col(quoted(id)).cast("string");
    List<Column> base = new ArrayList<>(List.of(
        when(trim(idValue).equalTo(""), lit(null).cast("string")).otherwise(idValue).as(ID),
        col(quoted(text)).cast("string").as(TEXT),
        (bad == null ? lit(null).cast("string") : col(quoted(bad))).as(BAD)));
    extras.forEach((name, c) -> base.add(c.as(name)));
    List<Column> order = new ArrayList<>(List.of(col(TEXT).asc_nulls_first(), col(BAD).asc_nulls_first()));
    for (String name : extras.keySet()) order.add(col(quoted(name)).asc_nulls_first());
    WindowSpec byId = Window.partitionBy(col(ID));
    Dataset<Row> ranked = raw.select(base.toArray(Column[]::new))
        .withColumn(N, count(lit(1)).over(byId))
        .withColumn(K, row_number().over(byId.orderBy(order.toArray(Column[]::new))));
    Column k = col(K).cast("string");
    Column key = when(col(ID).isNull(), concat(lit(t.name() + "/\u0000"), k))
        .when(col(N).gt(1), concat(lit(t.name() + "/"), col(ID), lit("\u0000"), k))
        .otherwise(concat(lit(t.name() + "/"), col(ID)));
    String shown = prefix ? t.name() + "/" : "";
    Column path = when(col(ID).isNull(), concat(lit(shown + NO_ID + "#"), k))
        .when(col(N).gt(1), concat(lit(shown), col(ID), lit("#"), k))
        .otherwise(concat(lit(shown), col(ID)));
    return ranked.withColumn(DOC_ID, substring(sha2(key.cast("binary"), 256), 1, 16)).withColumn(PATH, path);
  }

  /** {@code extracted} and every row of the tables as documents (with their texts), distributed. */
  public JavaRDD<DocumentRow> addRowsTo(JavaRDD<DocumentRow> extracted, int maxChars) {
    JavaRDD<DocumentRow> all = extracted;
    for (Loaded l : loaded) {
      String name = l.table().name(), idColumn = l.table().idColumn(), textColumn = l.table().textColumn();
      all = all.union(l.prepared().select(DOC_ID, PATH, ID, N, TEXT, BAD).javaRDD().map(r -> row(name, idColumn,
          textColumn, maxChars, r.getString(0), r.getString(1), r.getString(2), r.getLong(3), r.getString(4),
          r.getString(5))));
    }
    return all;
  }

  /** One table row as a document: the statuses are those of the class comment. */
  static DocumentRow row(String table, String idColumn, String textColumn, int maxChars, String docId, String path,
                         String id, long sameId, String raw, String malformed) {
    String status = ExtractionStatus.ERROR.label(), detail, text = "";
    if (malformed != null) {
      detail = "not a JSON object: " + shortened(malformed);
    } else if (id == null) {
      detail = "no id: column " + idColumn + " is null or blank";
    } else if (sameId > 1) {
      detail = "duplicated id: " + sameId + " rows of table " + table + " have " + idColumn + " '" + shortened(id)
          + "'; ids must be unique, so none of them is read";
    } else if (raw == null) {
      status = ExtractionStatus.EMPTY.label();
      detail = "column " + textColumn + " is null";
    } else if (raw.length() >= maxChars) {
      status = ExtractionStatus.TOO_LARGE.label();
      detail = "text exceeds " + maxChars + " chars";
    } else {
      text = TextNormalizer.normalize(raw);
      status = text.isEmpty() ? ExtractionStatus.EMPTY.label() : ExtractionStatus.OK.label();
      detail = text.isEmpty() ? "blank text" : "";
    }
    boolean ok = ExtractionStatus.OK.label().equals(status);
    if (!ok) text = "";
    return new DocumentRow(docId, table, path, raw == null ? 0 : raw.getBytes(StandardCharsets.UTF_8).length,
        raw == null ? null : TextNormalizer.sha256Hex(raw), ok ? TextNormalizer.sha256Hex(text) : null, null, status,
        detail, text.length(), 0, ok ? LexicalSketch.of(text) : LexicalSketch.EMPTY, text, null);
  }

  /**
   * {@code doc_id} and the tables' other columns (as reported, each table's rows with nulls for the columns it
   * lacks), for the documents report; null when the tables have no other columns (or there are none).
   */
  public Dataset<Row> extraColumns() {
    if (columns.isEmpty()) return null;
    Dataset<Row> all = null;
    for (Loaded l : loaded) {
      List<Column> cs = new ArrayList<>(List.of(col(DOC_ID).as("doc_id")));
      columns.forEach((name, type) -> {
        String have = l.extras().stream().filter(x -> x.equalsIgnoreCase(name)).findFirst().orElse(null);
        cs.add((have == null ? lit(null) : col(quoted(have))).cast(type).as(name));
      });
      Dataset<Row> d = l.prepared().select(cs.toArray(Column[]::new));
      all = all == null ? d : all.union(d);
    }
    return all;
  }

  /**
   * The extra columns of a written documents report (those not in {@link ReportTables#DOCUMENTS}) by {@code doc_id},
   * for a report made again from it ({@code rethreshold}); null when it has none.
   */
  public static Dataset<Row> extraColumnsOf(SparkSession spark, String documentsUri) {
    Dataset<Row> docs = spark.read().parquet(documentsUri);
    Set<String> own = new HashSet<>();
    for (String f : ReportTables.DOCUMENTS.fieldNames()) own.add(lower(f));
    List<Column> cs = new ArrayList<>(List.of(col("doc_id")));
    for (String f : docs.schema().fieldNames()) if (!own.contains(lower(f))) cs.add(col(quoted(f)));
    return cs.size() == 1 ? null : docs.select(cs.toArray(Column[]::new));
  }

  /**
   * The listed files with their folder's name before their path when the tables make the run one of several inputs
   * (the lister prefixes only when there are several folders, or a folder and {@code --files-from}).
   */
  public List<InputFile> prefixed(List<InputFile> listed, RunConfig cfg) {
    if (loaded.isEmpty() || cfg.inputs().size() + (cfg.files().isEmpty() ? 0 : 1) > 1) return listed;
    List<InputFile> out = new ArrayList<>(listed.size());
    for (InputFile f : listed) {
      out.add(InputFile.LISTED.equals(f.input()) ? f
          : new InputFile(f.input(), f.absolutePath(), f.input() + "/" + f.path(), f.idPath(), f.listError()));
    }
    out.sort(Comparator.comparing(InputFile::path));
    return out;
  }

  /**
   * The previous run's rows without those of this run's tables: a table is read again every run (its rows have no
   * size or time to trust), so its rows are neither unchanged nor deleted files; their texts are still reused from
   * the state by text hash when the embedding stage finds them there.
   */
  public PreviousState withoutRows(PreviousState previous) {
    if (loaded.isEmpty() || !previous.stored()) return previous;
    Set<String> names = names();
    return new PreviousState(previous.use(), previous.docs().filter(d -> !names.contains(d.input())),
        previous.textsUri(), previous.listedAtMs(), previous.report());
  }

  /**
   * Adds the tables to the summary: {@code text_tables} (name, location, format, columns, rows, extra columns) and
   * {@code table_rows}; {@code files} then counts files only.
   */
  public void addTo(RunSummary summary, JavaRDD<DocumentRow> docs) {
    if (loaded.isEmpty()) return;
    Set<String> names = names();
    Map<String, Long> rows = docs.filter(d -> d.parent() == null && names.contains(d.input())).map(DocumentRow::input)
        .countByValue();
    long total = rows.values().stream().mapToLong(Long::longValue).sum();
    List<Map<String, Object>> tables = new ArrayList<>();
    for (Loaded l : loaded) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", l.table().name());
      m.put("location", l.table().location());
      m.put("format", l.table().format());
      m.put("id_column", l.table().idColumn());
      m.put("text_column", l.table().textColumn());
      m.put("rows", rows.getOrDefault(l.table().name(), 0L));
      m.put("extra_columns", l.extras());
      tables.add(m);
    }
    if (summary.toMap().get("files") instanceof Number files) summary.with("files", files.longValue() - total);
    summary.with("table_rows", total).with("text_tables", tables);
  }

  public List<TextTable> tables() {
    return loaded.stream().map(Loaded::table).toList();
  }

  private Set<String> names() {
    Set<String> names = new HashSet<>();
    for (Loaded l : loaded) names.add(l.table().name());
    return names;
  }

  /** The report type of a column: atomic types as they are, binary as base64 text, arrays/structs/maps as JSON text. */
  private static DataType reportType(DataType t) {
    return t instanceof AtomicType && !(t instanceof BinaryType) ? t : DataTypes.StringType;
  }

  private static Column reportReady(Column c, DataType t) {
    if (t instanceof BinaryType) return org.apache.spark.sql.functions.base64(c);
    if (t instanceof ArrayType || t instanceof StructType || t instanceof MapType) {
      return org.apache.spark.sql.functions.to_json(c);
    }
    return t instanceof AtomicType ? c : c.cast("string");
  }

  /** A column name as Spark parses it literally (dots and spaces included). */
  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static String shortened(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= 80 ? one : one.substring(0, 77) + "...";
  }

  private static String oneLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
