package org.doppel.job.state;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.changes.Previous;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.EmbeddedText;
import org.doppel.job.data.Input;
import org.doppel.job.output.OutputFolder;
import org.doppel.job.storage.Location;
import org.doppel.job.output.Versions;

/**
 * The {@code --state} folder: what one run extracted and embedded, for the next run to reuse.
 *
 * <pre>
 * state.properties     format_version, when the run started, the settings the rows depend on ({@link StateSettings})
 * documents.parquet/   one row per file: every DocumentRow field but the text, by name ({@link RecordColumns})
 * texts.parquet/       one row per distinct text: text, document vector, windows with offsets and vectors
 * report/              the run's documents, pairs and clusters as {@link Previous} compares them
 * </pre>
 *
 * Written into a hidden staging sibling and swapped in by {@link #commit} after the report is in place, like the
 * report itself: a run that dies leaves the previous state as it was. A state that cannot be used (other
 * settings, other format, unreadable) is announced on one line and ignored: the run is a full one and
 * rewrites it, so a nightly job keeps working after a model change.
 */
public final class StateStore {
  /** Bump when the layout above changes in a way older readers would misread. */
  public static final int FORMAT_VERSION = 3; // 3: ids from input name + path, report kept; 2: sketches
  /** The older format whose documents are migrated on load ({@link #migrated}). */
  static final int MIGRATED_VERSION = 2;
  static final String PROPERTIES = "state.properties";
  static final RecordColumns<DocumentRow> DOCUMENT_COLUMNS = new RecordColumns<>(DocumentRow.class, Set.of("text"));

  private final Location dir;
  private final String runId;
  private final OutputFolder folder;
  private Location staging;

  public StateStore(Path dir, String runId) {
    this(Location.local(dir), runId);
  }

  public StateStore(Location dir, String runId) {
    this.folder = new OutputFolder(dir, OutputFolder.Kind.STATE, "--state", runId);
    this.dir = folder.target();
    this.runId = runId;
  }

  /** Why {@code dir} must not be used as a state folder (it holds something else), or null. */
  public static String problem(Location dir) {
    return OutputFolder.problem(dir, OutputFolder.Kind.STATE, "--state");
  }

  /** The stored state if these settings can reuse it; otherwise one line on {@code err} and an empty state. */
  public PreviousState load(SparkSession spark, StateSettings now, PrintStream err) throws IOException {
    staging = folder.begin(); // also puts back a state left aside by a swap that was interrupted
    if (!dir.resolve(PROPERTIES).isFile()) return PreviousState.empty("new");
    String why;
    Previous kept = null; // the last run's report: changes are reported against it even when its rows are not reused
    try {
      Properties p = new Properties();
      try (Reader r = dir.resolve(PROPERTIES).reader()) {
        p.load(r);
      }
      kept = keptReport(spark, p);
      why = OutputFolder.isFinished(dir) ? unusable(p, now) : "the run that wrote it did not finish putting it in place";
      if (why == null) {
        Dataset<Row> rows = spark.read().parquet(uri("documents.parquet"));
        List<String> missing = DOCUMENT_COLUMNS.missingColumns(rows.schema());
        if (missing.isEmpty()) return read(p, rows, kept, err);
        why = "its documents lack columns " + missing + " (written by an older Doppel)";
      }
    } catch (Exception e) { // a damaged state is a cache miss, not a failed run (Spark's AnalysisException is checked)
      why = "it cannot be read (" + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()) + ")";
    }
    err.println("doppel: warning: state " + dir + " not reused: " + why + "; running in full and rewriting it");
    err.flush();
    return PreviousState.empty("discarded: " + why).withReport(kept);
  }

  /** The report copy a format-3 state keeps (see {@link Previous}), or null. */
  private Previous keptReport(SparkSession spark, Properties p) throws IOException {
    if (!String.valueOf(FORMAT_VERSION).equals(p.getProperty("format_version")) || p.getProperty("report.run_id") == null
        || !dir.resolve("report").isDirectory()) {
      return null;
    }
    return Previous.of(spark, dir.resolve("report"), p.getProperty("report.run_id"),
        Double.parseDouble(p.getProperty("report.threshold")));
  }

  private static String unusable(Properties p, StateSettings now) {
    String version = p.getProperty("format_version");
    if (!String.valueOf(FORMAT_VERSION).equals(version) && !String.valueOf(MIGRATED_VERSION).equals(version)) {
      return "state format " + version + ", this Doppel reads format " + FORMAT_VERSION;
    }
    Map<String, String> stored = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) if (k.startsWith("setting.")) stored.put(k.substring(8), p.getProperty(k));
    List<String> changed = now.differences(new StateSettings(stored));
    return changed.isEmpty() ? null : "settings changed (" + String.join("; ", changed) + ")";
  }

  private PreviousState read(Properties p, Dataset<Row> rows, Previous report, PrintStream err) {
    JavaRDD<DocumentRow> docs = rows.javaRDD().map(DOCUMENT_COLUMNS::fromRow);
    if (String.valueOf(MIGRATED_VERSION).equals(p.getProperty("format_version"))) {
      boolean prefixed = rows.select("input").distinct().count() > 1;
      docs = docs.map(d -> migrated(d, prefixed));
      err.println("doppel: state " + dir + " was written by an older Doppel (format " + MIGRATED_VERSION + "): its "
          + "document ids are migrated to format " + FORMAT_VERSION + " (input name + path); changes are reported "
          + "from the next run on");
      err.flush();
    }
    return new PreviousState("reused", docs, uri("texts.parquet"), Long.parseLong(p.getProperty("listed_at_ms")), report);
  }

  /**
   * A format-2 row with this version's id: that format hashed the reported path, which carried the input folder as
   * spelled when several were given ({@code prefixed}). The path is rewritten when the row is reused.
   */
  static DocumentRow migrated(DocumentRow d, boolean prefixed) {
    String folder = d.input().endsWith("/") && d.input().length() > 1 ? d.input().substring(0, d.input().length() - 1) : d.input();
    String relative = prefixed && d.path().startsWith(folder + "/") ? d.path().substring(folder.length() + 1) : d.path();
    Input input;
    try {
      input = Input.parse(d.input());
    } catch (IllegalArgumentException e) {
      return d; // no name to derive: the file is listed as new and extracted again
    }
    return new DocumentRow(DocumentRow.docIdFor(input.idPath(relative)), input.name(), d.path(), d.sizeBytes(),
        d.sha256(), d.textSha256(), d.mediaType(), d.status(), d.statusDetail(), d.chars(), d.modifiedMillis(),
        d.sketch(), d.text(), d.parent());
  }

  /**
   * Writes this run's documents and texts, and what the next run compares its report with (this run's report tables
   * in {@code reportDir}, at {@code threshold}), into the staging folder; {@link #commit} puts it in place.
   */
  public void write(SparkSession spark, StateSettings settings, long listedAtMs, JavaRDD<DocumentRow> docs,
                    JavaRDD<EmbeddedText> texts, Location reportDir, double threshold) throws IOException {
    if (staging == null) staging = folder.begin();
    writeDocuments(spark, docs, staging.resolve("documents.parquet"));
    TextRows.write(spark, texts, staging.resolve("texts.parquet"));
    Previous.keep(spark, reportDir, staging.resolve("report"));
    Properties p = new Properties();
    p.setProperty("report.run_id", runId);
    p.setProperty("report.threshold", String.valueOf(threshold));
    p.setProperty("format_version", String.valueOf(FORMAT_VERSION));
    p.setProperty("listed_at_ms", String.valueOf(listedAtMs));
    p.setProperty("doppel", Versions.get().getProperty("doppel", "dev"));
    settings.values().forEach((k, v) -> p.setProperty("setting." + k, v));
    try (Writer w = staging.resolve(PROPERTIES).writer()) {
      p.store(w, "Doppel incremental state: reused by the next run with --state " + dir);
    }
  }

  /** Writes document rows (all fields but the text, by name) as a Parquet dataset at {@code dir}. */
  static void writeDocuments(SparkSession spark, JavaRDD<DocumentRow> docs, Location dir) {
    spark.createDataFrame(docs.map(DOCUMENT_COLUMNS::toRow), DOCUMENT_COLUMNS.schema()).write().parquet(dir.uri());
  }

  /** Swaps the written state in (call after the report is in place). */
  public void commit() throws IOException {
    folder.commit();
  }

  /** Drops a half-written state; the previous one stays. */
  public void abort() {
    folder.abort();
  }

  private String uri(String name) {
    return dir.resolve(name).uri();
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
