package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.doppel.job.cli.DoppelCommand;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.report.Csv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --text-table}: a folder of four sample-docs files with a Parquet table (written here with Spark) and a JSONL
 * table whose rows are an exact copy and a near copy of the files' texts, plus rows with a repeated id, no id, no
 * text, and a line that is not JSON. The run (with {@code --state}) pairs files with rows, keeps every document
 * once with the id and path rules, carries the tables' other columns into the documents report, and gives each bad
 * row its status; a second state run after one row's text changed re-reads the tables, embeds only that text and
 * reports the pair gone because the row was edited; {@code rethreshold} keeps the other columns; an {@code embed}
 * run with only a table has unprefixed paths; a missing column,
 * a missing table, a table named like the folder and a file of unknown format are usage errors before any work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextTableTest {
  private static final String EXACT_FILE = "garden/compost-notes-revised.txt";
  private static final String NEAR_FILE = "bikes/lock-it-up.md";
  private static final String JSON_NEAR_FILE = "kitchen/sourdough-starter-care.md";
  private static final String JSON_EXACT_FILE = "bikes/seasonal-bike-care.txt";
  private static final String UNRELATED = "Minutes of the quarterly budget review: travel spending is frozen until "
      + "March and the office move is postponed to the autumn. ";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  Path docs;
  Path articles;
  Path notes;
  int exit1;
  int exit2;
  int exitTableOnly;
  int exitRethreshold;
  List<Map<String, String>> documents;
  Map<String, Map<String, String>> byPath = new HashMap<>();

  @BeforeAll
  void runs() throws IOException {
    docs = tmp.resolve("docs");
    Path sample = TestCorpora.repoRoot().resolve("sample-docs/docs");
    TestCorpora.copyDocuments(sample, docs, List.of(EXACT_FILE, NEAR_FILE, JSON_NEAR_FILE, JSON_EXACT_FILE));
    FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
    for (Path f : TestCorpora.listFiles(docs)) Files.setLastModifiedTime(f, anHourAgo);

    articles = tmp.resolve("articles.parquet");
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.StringType, true),
        DataTypes.createStructField("body", DataTypes.StringType, true),
        DataTypes.createStructField("author", DataTypes.StringType, true),
        DataTypes.createStructField("year", DataTypes.IntegerType, true),
        DataTypes.createStructField("path", DataTypes.StringType, true),
        DataTypes.createStructField("tags", DataTypes.createArrayType(DataTypes.StringType), true)));
    List<Row> rows = List.of(
        RowFactory.create("c-1", Files.readString(sample.resolve(EXACT_FILE)), "Ann", 2021, "/old/compost.txt",
            List.of("garden").toArray()),
        RowFactory.create("n-1", nearCopy(Files.readString(sample.resolve(NEAR_FILE))), "Bob", 2022, "/old/lock.md",
            List.of("bikes", "security").toArray()),
        RowFactory.create("u-1", UNRELATED.repeat(5), "Cy", 2023, null, new Object[0]),
        RowFactory.create("dup", "A first text filed under an id that another row has too.", "Dee", 2020, null, null),
        RowFactory.create("dup", "A second text filed under the same id as the first.", "Dee", 2020, null, null),
        RowFactory.create(null, "A text nobody gave an id.", "Eve", 2020, null, null),
        RowFactory.create("  ", "A text whose id is blank.", "Eve", 2020, null, null),
        RowFactory.create("no-text", null, "Fay", 2020, null, null));
    SparkSession spark = SparkTestSession.get();
    spark.createDataFrame(rows, schema).repartition(2).write().parquet(articles.toString());

    notes = tmp.resolve("notes.jsonl");
    writeNotes(nearCopy(Files.readString(sample.resolve(JSON_NEAR_FILE))), Files.readString(sample.resolve(JSON_EXACT_FILE)));

    exit1 = doppel("run", docs.toString(), "--text-table", articles.toString(), "--text-table", notes.toString(),
        "--text-column", "body", "--out", tmp.resolve("out").toString(), "--state", tmp.resolve("state").toString());
    documents = Csv.read(tmp.resolve("out/documents.csv"));
    exitRethreshold = DoppelCommand.execute(new String[] {"rethreshold", tmp.resolve("out").toString(), "--threshold",
        "0.5", "--out", tmp.resolve("out-rethreshold").toString()}, Map.of(), new PrintWriter(new StringWriter()),
        new PrintWriter(System.err, true));
    for (Map<String, String> d : documents) byPath.put(d.get("path"), d);

    // the next night: one row's text is another now, nothing else changed
    writeNotes("The harbour ferry timetable changes on Monday: boats leave every forty minutes and the last one "
        + "sails at eleven. ".repeat(6), Files.readString(sample.resolve(JSON_EXACT_FILE)));
    exit2 = doppel("run", docs.toString(), "--text-table", articles.toString(), "--text-table", notes.toString(),
        "--text-column", "body", "--out", tmp.resolve("out2").toString(), "--state", tmp.resolve("state").toString());

    exitTableOnly = doppel("embed", "--text-table", "texts=" + notes, "--text-column", "body", "--out",
        tmp.resolve("out3").toString());
  }

  /** The text with one sentence added after its first full stop (as a reviser would). */
  private static String nearCopy(String text) {
    return text.replaceFirst("(?s)\\.\\s", ". Read this twice. ");
  }

  private void writeNotes(String near, String exact) throws IOException {
    Files.writeString(notes, JSON.writeValueAsString(Map.of("id", 7, "body", near, "source", "wiki", "year", "2019")) + "\n"
        + JSON.writeValueAsString(Map.of("id", 8, "body", exact, "source", "mail")) + "\n"
        + "\n"
        + JSON.writeValueAsString(Map.of("id", 9, "body", "  \n ")) + "\n"
        + "this line is not JSON\n");
  }

  @Test
  void rowsAreDocumentsEachOnceWithTheIdAndPathRules() {
    assertEquals(0, exit1);
    Set<String> paths = new HashSet<>(), ids = new HashSet<>();
    for (Map<String, String> d : documents) {
      assertTrue(paths.add(d.get("path")), "each document once: " + d.get("path"));
      assertTrue(ids.add(d.get("doc_id")), "each doc_id once: " + d.get("doc_id"));
    }
    assertEquals(Set.of("docs/" + EXACT_FILE, "docs/" + NEAR_FILE, "docs/" + JSON_NEAR_FILE, "docs/" + JSON_EXACT_FILE,
        "articles/c-1", "articles/n-1", "articles/u-1", "articles/dup#1", "articles/dup#2", "articles/(no id)#1",
        "articles/(no id)#2", "articles/no-text", "notes/7", "notes/8", "notes/9", "notes/(no id)#1"), paths,
        "a folder beside tables is prefixed by its name, as with several folders; rows are NAME/id");
    assertEquals(DocumentRow.docIdFor("docs/" + EXACT_FILE), byPath.get("docs/" + EXACT_FILE).get("doc_id"));
    assertEquals(DocumentRow.docIdFor("articles/c-1"), byPath.get("articles/c-1").get("doc_id"), "a row's id: NAME/id");
    assertEquals(DocumentRow.docIdFor("notes/7"), byPath.get("notes/7").get("doc_id"), "a JSON number id as text");
    assertEquals("articles", byPath.get("articles/c-1").get("input"));
    assertEquals("notes", byPath.get("notes/8").get("input"));
    assertEquals("docs", byPath.get("docs/" + NEAR_FILE).get("input"));
    for (String p : List.of("articles/c-1", "articles/n-1", "notes/7", "notes/8")) {
      assertEquals("ok", byPath.get(p).get("status"), p);
      assertEquals("", byPath.get(p).get("media_type"), p + ": no file, no media type");
      assertTrue(Integer.parseInt(byPath.get(p).get("chunks")) > 0, p + " was embedded");
    }
    assertEquals(byPath.get("docs/" + EXACT_FILE).get("text_sha256"), byPath.get("articles/c-1").get("text_sha256"),
        "the same normalisation as extracted text");
  }

  @Test
  void badRowsHaveTheirStatus() {
    for (String p : List.of("articles/dup#1", "articles/dup#2")) {
      assertEquals("error", byPath.get(p).get("status"), p);
      assertTrue(byPath.get(p).get("status_detail").startsWith("duplicated id: 2 rows of table articles have id 'dup'"),
          byPath.get(p).get("status_detail"));
      assertEquals("0", byPath.get(p).get("chunks"), "a row with a repeated id is not read");
    }
    for (String p : List.of("articles/(no id)#1", "articles/(no id)#2")) {
      assertEquals("error", byPath.get(p).get("status"), p);
      assertTrue(byPath.get(p).get("status_detail").startsWith("no id"), byPath.get(p).get("status_detail"));
    }
    assertEquals("empty", byPath.get("articles/no-text").get("status"));
    assertEquals("column body is null", byPath.get("articles/no-text").get("status_detail"));
    assertEquals("empty", byPath.get("notes/9").get("status"));
    assertEquals("error", byPath.get("notes/(no id)#1").get("status"));
    assertTrue(byPath.get("notes/(no id)#1").get("status_detail").startsWith("not a JSON object: this line is not JSON"),
        byPath.get("notes/(no id)#1").get("status_detail"));
  }

  @Test
  void filesPairWithRows() throws IOException {
    Map<String, String> method = pairs("out");
    assertEquals("exact", method.get(pair("articles/c-1", "docs/" + EXACT_FILE)), "exact copy in the Parquet table: " + method);
    assertEquals("exact", method.get(pair("docs/" + JSON_EXACT_FILE, "notes/8")), "exact copy in the JSONL table: " + method);
    assertNotNull(method.get(pair("articles/n-1", "docs/" + NEAR_FILE)), "near copy in the Parquet table: " + method);
    assertNotEquals("exact", method.get(pair("articles/n-1", "docs/" + NEAR_FILE)));
    assertNotNull(method.get(pair("docs/" + JSON_NEAR_FILE, "notes/7")), "near copy in the JSONL table: " + method);
    for (String p : method.keySet()) {
      assertFalse(p.contains("dup#") || p.contains("(no id)") || p.contains("u-1"), "no pair with a bad or unrelated row: " + p);
    }
  }

  @Test
  void otherColumnsReachTheDocumentsReport() throws IOException {
    Map<String, String> c1 = byPath.get("articles/c-1");
    assertEquals("Ann", c1.get("author"));
    assertEquals("2021", c1.get("year"));
    assertEquals("/old/compost.txt", c1.get("table_path"), "a column named like the report's own is renamed");
    assertEquals("[\"bikes\",\"security\"]", byPath.get("articles/n-1").get("tags"), "an array as JSON text");
    assertEquals("2019", byPath.get("notes/7").get("year"));
    assertEquals("wiki", byPath.get("notes/7").get("source"));
    assertEquals("", byPath.get("notes/7").get("author"), "a column the JSONL table lacks");
    assertEquals("", byPath.get("docs/" + EXACT_FILE).get("author"), "null for a file");
    assertFalse(byPath.get("articles/c-1").containsKey("body"), "the text column is not repeated");
    assertFalse(byPath.get("articles/c-1").containsKey("_corrupt_record"));

    SparkSession spark = SparkTestSession.get();
    StructType schema = spark.read().parquet(tmp.resolve("out/documents.parquet").toString()).schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    assertEquals("doc_id", names.get(0));
    assertEquals("words", names.get(15), "Doppel's columns first, in their order");
    assertTrue(names.containsAll(List.of("author", "year", "table_path", "tags", "source")), names.toString());
    assertEquals(DataTypes.StringType, schema.apply("year").dataType(), "int in one table, text in the other: text");
    Row r = spark.read().parquet(tmp.resolve("out/documents.parquet").toString()).filter("path = 'articles/c-1'")
        .select("author", "table_path").first();
    assertEquals("Ann", r.getString(0));
    assertEquals("/old/compost.txt", r.getString(1));
  }

  @Test
  void rethresholdKeepsTheOtherColumns() throws IOException {
    assertEquals(0, exitRethreshold);
    Map<String, String> c1 = Csv.read(tmp.resolve("out-rethreshold/documents.csv")).stream()
        .filter(d -> d.get("path").equals("articles/c-1")).findFirst().orElseThrow();
    assertEquals("Ann", c1.get("author"));
    assertEquals("/old/compost.txt", c1.get("table_path"));
  }

  @Test
  void summaryCountsRowsApartFromFiles() throws IOException {
    JsonNode s = JSON.readTree(tmp.resolve("out/summary.json").toFile());
    assertEquals(4, s.get("files").asInt());
    assertEquals(12, s.get("table_rows").asInt());
    assertEquals("parquet", s.get("text_tables").get(0).get("format").asText());
    assertEquals(8, s.get("text_tables").get(0).get("rows").asInt());
    assertEquals("jsonl", s.get("text_tables").get(1).get("format").asText());
  }

  @Test
  void aStateRunReadsTablesAgainAndEmbedsOnlyTheNewText() throws IOException {
    assertEquals(0, exit2);
    JsonNode s = JSON.readTree(tmp.resolve("out2/summary.json").toFile());
    JsonNode inc = s.get("incremental");
    assertEquals("reused", inc.get("state").asText());
    assertEquals(4, inc.get("unchanged").asInt(), "the four files; table rows are not files");
    assertEquals(0, inc.get("new").asInt());
    assertEquals(0, inc.get("deleted").asInt(), "this run's table rows are not deleted files");
    assertEquals(0, s.get("files_extracted").asInt());
    assertEquals(1, s.get("texts_embedded").asInt(), "only the changed row's text; the others come from the state");
    Map<String, String> method = pairs("out2");
    assertEquals(null, method.get(pair("docs/" + JSON_NEAR_FILE, "notes/7")), "the edited row no longer pairs");
    assertEquals("exact", method.get(pair("articles/c-1", "docs/" + EXACT_FILE)));
    List<Map<String, String>> changes = Csv.read(tmp.resolve("out2/changes.csv"));
    assertTrue(changes.stream().anyMatch(c -> c.get("change").equals("gone_pair") && c.get("path_b").equals("notes/7")
        && c.get("why").equals("notes/7 was edited")), changes.toString());
    Map<String, String> seven = Csv.read(tmp.resolve("out2/documents.csv")).stream()
        .filter(d -> d.get("path").equals("notes/7")).findFirst().orElseThrow();
    assertEquals("wiki", seven.get("source"));
    assertNotEquals(byPath.get("notes/7").get("sha256"), seven.get("sha256"));
  }

  @Test
  void aTableAloneHasPathsWithoutPrefix() throws IOException {
    assertEquals(0, exitTableOnly);
    Map<String, String> idOf = new HashMap<>();
    for (Map<String, String> d : Csv.read(tmp.resolve("out3/documents.csv"))) idOf.put(d.get("path"), d.get("doc_id"));
    assertEquals(Set.of("7", "8", "9", "(no id)#1"), idOf.keySet());
    assertEquals(DocumentRow.docIdFor("texts/7"), idOf.get("7"), "NAME=PATH names the table");
    assertTrue(Files.isDirectory(tmp.resolve("out3/document_vectors.parquet")));
  }

  @Test
  void unusableTablesAreUsageErrorsBeforeAnyWork() throws IOException {
    String out = tmp.resolve("never").toString();
    assertUsageError("has no column 'nope' (--id-column); its columns: id, body, author, year, path, tags",
        "run", docs.toString(), "--text-table", articles.toString(), "--id-column", "nope", "--text-column", "body",
        "--out", out);
    assertUsageError("has no column 'text' (--text-column)", "run", "--text-table", notes.toString(), "--out", out);
    assertUsageError("no such file or folder", "run", "--text-table", tmp.resolve("missing.parquet").toString(),
        "--out", out);
    assertUsageError("are both named 'docs'", "run", docs.toString(), "--text-table", "docs=" + articles, "--out", out);
    assertUsageError("is inside the input folder " + docs, "run", docs.toString(), "--text-table",
        docs.resolve("inner.jsonl").toString(), "--out", out);
    Path odd = Files.writeString(tmp.resolve("texts.txt"), "{\"id\": 1, \"text\": \"x\"}\n");
    assertUsageError("give --text-table-format parquet or jsonl", "run", "--text-table", odd.toString(), "--out", out);
    assertFalse(Files.exists(tmp.resolve("never")), "nothing written");

    StringWriter help = new StringWriter();
    assertEquals(0, DoppelCommand.execute(new String[] {"run", "--help"}, Map.of(), new PrintWriter(help, true),
        new PrintWriter(new StringWriter(), true)));
    String h = help.toString().replaceAll("\\s+", " ");
    for (String example : List.of("Example: --text-table articles=s3a://", "Example: --id-column article_id",
        "Example: --text-column body", "Example: --text-table-format jsonl")) {
      assertTrue(h.contains(example), "help shows " + example);
    }
  }

  private void assertUsageError(String fragment, String... args) {
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--isolation", "thread"));
    int exit = DoppelCommand.execute(all.toArray(String[]::new), Map.of(), new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true));
    assertEquals(2, exit, err.toString());
    String[] lines = err.toString().strip().split("\n");
    assertEquals(1, lines.length, "one line: " + err);
    assertTrue(lines[0].startsWith("doppel: ") && lines[0].contains(fragment), lines[0]);
  }

  /** Pairs of a report by their two paths (sorted) -> method. */
  private static Map<String, String> pairs(String out) throws IOException {
    Map<String, String> m = new HashMap<>();
    for (Map<String, String> p : Csv.read(tmp.resolve(out).resolve("pairs.csv"))) {
      m.put(pair(p.get("path_a"), p.get("path_b")), p.get("method"));
    }
    return m;
  }

  private static String pair(String a, String b) {
    return a.compareTo(b) < 0 ? a + " | " + b : b + " | " + a;
  }

  private static int doppel(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--isolation", "thread"));
    return DoppelCommand.execute(all.toArray(String[]::new), Map.of(), new PrintWriter(new StringWriter()),
        new PrintWriter(System.err, true));
  }
}
