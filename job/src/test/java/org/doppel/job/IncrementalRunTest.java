package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.doppel.job.report.Csv;
import org.doppel.model.EmbedderConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --state}: a full run that keeps its state, then files added, changed, touched and deleted; the
 * incremental run extracts and embeds only what is new, and its reports equal those of a full run over the final
 * folder. A change of model settings discards the state with one warning and runs in full.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalRunTest {
  private static final List<String> FIRST = List.of("garden/compost-basics.md", "garden/compost-notes-revised.txt",
      "shared/compost-heap.html", "kitchen/sourdough-starter-care.md", "shared/sourdough-starter.html",
      "bikes/lock-it-up.md");
  private static final List<String> ADDED = List.of("kitchen/starter-care.rtf", "inbox/re-compost-heap-notes.eml");

  @TempDir
  static Path tmp; // static: created before @BeforeAll
  Path in;
  Path state;
  RunSummary full;
  RunSummary incremental;
  RunSummary reference;
  Set<String> firstTexts;

  @BeforeAll
  void fullThenIncrementalThenReference() throws IOException {
    in = tmp.resolve("in");
    state = tmp.resolve("state");
    TestCorpora.copyDocuments(TestCorpora.repoRoot().resolve("sample-docs/docs"), in, FIRST);
    zip(in.resolve("archive/compost-and-bikes.zip"), "garden/compost-basics.md", "bikes/lock-it-up.md"); // unchanged later
    FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
    for (Path f : TestCorpora.listFiles(in)) Files.setLastModifiedTime(f, anHourAgo);
    Files.createSymbolicLink(in.resolve("bikes/dangling.md"), in.resolve("bikes/gone.md")); // an error row, retried
    full = run("report-1", state);
    firstTexts = column(tmp.resolve("report-1/documents.csv"), "text_sha256");

    TestCorpora.copyDocuments(TestCorpora.repoRoot().resolve("sample-docs/docs"), in, ADDED);
    Files.copy(in.resolve("bikes/lock-it-up.md"), in.resolve("bikes/lock-it-up-copy.md")); // new file, known text
    Files.writeString(in.resolve("garden/compost-notes-revised.txt"),
        "\nTurn the heap every two weeks in summer.\n", StandardOpenOption.APPEND);          // changed
    Files.setLastModifiedTime(in.resolve("shared/sourdough-starter.html"), FileTime.from(Instant.now())); // touched
    Files.delete(in.resolve("bikes/lock-it-up.md"));                                      // deleted
    incremental = run("report-2", state);
    reference = run("report-ref", null);
  }

  @Test
  void countsNewChangedUnchangedAndDeletedFiles() {
    assertEquals("new", incremental(full).get("state"));
    assertEquals((long) FIRST.size() + 2, incremental(full).get("new"));
    Map<String, Object> inc = incremental(incremental);
    assertEquals("reused", inc.get("state"));
    assertEquals(3L, inc.get("new"), inc.toString());
    assertEquals(1L, inc.get("changed"), inc.toString());
    assertEquals(5L, inc.get("unchanged"), inc.toString());
    assertEquals(1L, inc.get("deleted"), inc.toString());
    assertEquals(1L, inc.get("retried"), "the broken link's error row is not final: " + inc);
    assertEquals(1L, inc.get("hashed"), "only the touched file is hashed; the others are trusted by size and time");
    assertEquals(10L, ((Number) incremental.toMap().get("files")).longValue());
    assertEquals(2L, ((Number) incremental.toMap().get("embedded_documents")).longValue(),
        "the unchanged archive's entries, reused with it");
  }

  @Test
  void extractsAndEmbedsOnlyWhatTheStateLacks() throws IOException {
    assertEquals(5L, incremental.toMap().get("files_extracted"), "3 new + 1 changed + 1 retried");
    Set<String> finalTexts = column(tmp.resolve("report-2/documents.csv"), "text_sha256");
    Set<String> unseen = new HashSet<>(finalTexts);
    unseen.removeAll(firstTexts);
    assertEquals(3, unseen.size(), "the changed text and the two added ones; the copy's text was known");
    assertEquals((long) unseen.size(), incremental.toMap().get("texts_embedded"));
    assertEquals((long) finalTexts.size() - unseen.size(), incremental.toMap().get("texts_reused"));
    assertEquals(reference.toMap().get("distinct_texts"), reference.toMap().get("texts_embedded"), "a full run embeds all");
    assertTrue(Files.readString(tmp.resolve("report-2/summary.json")).contains("\"unchanged\": 5"));
  }

  @Test
  void incrementalReportsEqualAFullRunOverTheSameFolder() throws IOException {
    assertTrue(reference.pairs() > 0, "the subset has duplicates to find");
    assertEquals(reference.pairs(), incremental.pairs());
    assertSameTable("documents.csv", "path");
    assertSameTable("pairs.csv", "path_a", "path_b");
    assertSameTable("clusters.csv", "path");
  }

  @Test
  void changedModelSettingsDiscardTheStateWithOneWarningAndRunInFull() throws IOException {
    Path copy = tmp.resolve("state-copy");
    TestCorpora.copyTree(state, copy);
    RunConfig base = RunConfig.defaults(List.of(in.toString()), tmp.resolve("report-3"));
    EmbedderConfig smaller = base.embedder().withWindow(128, 16);
    RunConfig cfg = base.withEmbedder(smaller);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    RunSummary changed = DoppelJob.run(SparkTestSession.get(), cfg, copy, tee(err));
    List<String> warnings = new ArrayList<>();
    for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) if (line.contains("warning")) warnings.add(line);
    assertEquals(1, warnings.size(), err.toString(StandardCharsets.UTF_8));
    assertTrue(warnings.get(0).contains("settings changed (overlap_tokens: 64 -> 16; window_tokens: 0 -> 128)"),
        warnings.get(0));
    Map<String, Object> inc = incremental(changed);
    assertTrue(inc.get("state").toString().startsWith("discarded"), inc.toString());
    assertEquals(incremental.toMap().get("run_id"), ((Map<?, ?>) changed.toMap().get("changes")).get("previous_run"),
        "a discarded state's rows are not reused, but the changes are still against the run that wrote it");
    assertEquals(((Number) changed.toMap().get("files")).longValue(),
        ((Number) changed.toMap().get("files_extracted")).longValue());
    assertEquals(changed.toMap().get("distinct_texts"), changed.toMap().get("texts_embedded"));
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(copy.resolve("state.properties"))) {
      p.load(r);
    }
    assertEquals("128", p.getProperty("setting.window_tokens"), "the state is rewritten for the new settings");

    RunSummary again = DoppelJob.run(SparkTestSession.get(), cfg, copy, System.err);
    assertEquals("reused", incremental(again).get("state"));
    assertEquals(1L, again.toMap().get("files_extracted"), "only the broken link, tried again on every run");
    assertEquals(0L, again.toMap().get("texts_embedded"));
  }

  @Test
  void aFailedRunLeavesThePreviousStateAsItWas() throws Exception {
    Path copy = tmp.resolve("state-kept");
    TestCorpora.copyTree(state, copy);
    Map<String, String> before = CrashDrill.snapshot(copy);
    Path noModel = Files.createDirectories(tmp.resolve("not-a-model"));
    RunConfig base = RunConfig.defaults(List.of(in.toString()), tmp.resolve("report-4"));
    RunConfig cfg = base.withEmbedder(base.embedder().withModel(noModel.toString()));
    assertThrows(Exception.class, () -> DoppelJob.run(SparkTestSession.get(), cfg, copy, System.err),
        "the state is discarded for the new model, which then fails to load");
    assertEquals(before, CrashDrill.snapshot(copy), "the previous state is untouched");
    try (var siblings = Files.list(tmp)) {
      assertEquals(List.of(), siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".state-kept")).toList(),
          "no staging folder left behind");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  private RunSummary run(String report, Path stateDir) throws IOException {
    RunConfig cfg = RunConfig.defaults(List.of(in.toString()), tmp.resolve(report));
    return DoppelJob.run(SparkTestSession.get(), cfg, stateDir, System.err);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> incremental(RunSummary s) {
    return (Map<String, Object>) s.toMap().get("incremental");
  }

  /** Same rows (sorted by {@code keys}) and columns; decimal numbers, also inside JSON text, equal to 1e-6. */
  private void assertSameTable(String name, String... keys) throws IOException {
    List<Map<String, String>> a = sorted(Csv.read(tmp.resolve("report-2").resolve(name)), keys);
    List<Map<String, String>> b = sorted(Csv.read(tmp.resolve("report-ref").resolve(name)), keys);
    assertEquals(b.size(), a.size(), name);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(b.get(i).keySet(), a.get(i).keySet(), name);
      for (String col : a.get(i).keySet()) {
        assertNumbersClose(b.get(i).get(col), a.get(i).get(col), name + " row " + i + " column " + col);
      }
    }
  }

  private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+(?:[eE]-?\\d+)?");

  private static void assertNumbersClose(String expected, String actual, String where) {
    Matcher e = DECIMAL.matcher(expected), a = DECIMAL.matcher(actual);
    List<Double> en = new ArrayList<>(), an = new ArrayList<>();
    while (e.find()) en.add(Double.parseDouble(e.group()));
    while (a.find()) an.add(Double.parseDouble(a.group()));
    assertEquals(DECIMAL.matcher(expected).replaceAll("#"), DECIMAL.matcher(actual).replaceAll("#"), where);
    for (int i = 0; i < en.size(); i++) assertEquals(en.get(i), an.get(i), 1e-6, where);
  }

  private static List<Map<String, String>> sorted(List<Map<String, String>> rows, String... keys) {
    List<Map<String, String>> out = new ArrayList<>(rows);
    out.sort((x, y) -> {
      for (String k : keys) {
        int c = x.get(k).compareTo(y.get(k));
        if (c != 0) return c;
      }
      return 0;
    });
    return out;
  }

  private static Set<String> column(Path csv, String column) throws IOException {
    Set<String> out = new HashSet<>();
    for (Map<String, String> r : Csv.read(csv)) if (!r.get(column).isEmpty()) out.add(r.get(column));
    return out;
  }

  private static PrintStream tee(ByteArrayOutputStream copy) {
    return new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        copy.write(b);
        System.err.write(b);
      }
    }, true, StandardCharsets.UTF_8);
  }

  /** A zip of sample-docs files, entries named by their file names. */
  private static void zip(Path zip, String... docs) throws IOException {
    Files.createDirectories(zip.getParent());
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      for (String d : docs) {
        out.putNextEntry(new java.util.zip.ZipEntry(Path.of(d).getFileName().toString()));
        out.write(Files.readAllBytes(TestCorpora.repoRoot().resolve("sample-docs/docs").resolve(d)));
        out.closeEntry();
      }
    }
  }

}
