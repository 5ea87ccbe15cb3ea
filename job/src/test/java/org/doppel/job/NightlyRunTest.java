package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.doppel.job.cli.DoppelCommand;
import org.doppel.job.report.Csv;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A nightly job through the CLI on a copy of sample-docs files: run 1 with {@code --state}; then a near-duplicate
 * added, one file deleted, another rewritten; run 2 reports exactly those changes in changes.csv and exits 3 with
 * {@code --exit-code-on new-pairs}, 0 without; run 3 over the same files reports no change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NightlyRunTest {
  private static final List<String> FILES = List.of("garden/compost-basics.md", "garden/compost-notes-revised.txt",
      "shared/compost-heap.html", "kitchen/sourdough-starter-care.md", "shared/sourdough-starter.html",
      "bikes/lock-it-up.md", "it/password-policy.html");
  private static final String ADDED = "bikes/lock-it-up-again.md";
  private static final String DELETED = "shared/compost-heap.html";
  private static final String EDITED = "kitchen/sourdough-starter-care.md";

  @TempDir
  static Path tmp;
  Path in;
  int exit1;
  int exit2WithOptIn;
  int exit2Without;
  int exit3;

  @BeforeAll
  void threeNights() throws IOException {
    in = tmp.resolve("docs");
    TestCorpora.copyDocuments(TestCorpora.repoRoot().resolve("sample-docs/docs"), in, FILES);
    FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));
    for (Path f : TestCorpora.listFiles(in)) Files.setLastModifiedTime(f, anHourAgo);
    exit1 = run("night-1", "state", true);

    String lock = Files.readString(in.resolve("bikes/lock-it-up.md"));
    Files.writeString(in.resolve(ADDED), lock.replaceFirst("(?s)\\.\\s", ". Read this twice. "));
    Files.delete(in.resolve(DELETED));
    Files.writeString(in.resolve(EDITED), "Minutes of the quarterly budget review: travel spending is frozen until "
        + "March and the office move is postponed to the autumn. ".repeat(5));
    TestCorpora.copyTree(tmp.resolve("state"), tmp.resolve("state-b"));
    exit2WithOptIn = run("night-2", "state", true);
    exit2Without = run("night-2b", "state-b", false);
    exit3 = run("night-3", "state", true);
  }

  private int run(String out, String state, boolean optIn) {
    List<String> args = new ArrayList<>(List.of("run", in.toString(), "--out", tmp.resolve(out).toString(),
        "--state", tmp.resolve(state).toString(), "--isolation", "thread"));
    if (optIn) args.addAll(List.of("--exit-code-on", "new-pairs"));
    return DoppelCommand.execute(args.toArray(String[]::new), Map.of(), new PrintWriter(new StringWriter()),
        new PrintWriter(System.err, true));
  }

  @Test
  void firstNightEveryPairIsNew() throws IOException {
    assertEquals(3, exit1, "pairs, and no previous run: all new");
    Set<String> pairs = pairs("night-1");
    assertFalse(pairs.isEmpty());
    assertEquals(pairs, changed("night-1", "new_pair"));
    assertTrue(changed("night-1", "gone_pair").isEmpty());
  }

  @Test
  void secondNightReportsExactlyWhatChangedAndWhy() throws IOException {
    assertEquals(3, exit2WithOptIn);
    assertEquals(0, exit2Without, "the same run without the opt-in exits 0");
    Set<String> before = pairs("night-1"), after = pairs("night-2");
    Set<String> added = new TreeSet<>(after);
    added.removeAll(before);
    Set<String> gone = new TreeSet<>(before);
    gone.removeAll(after);
    assertEquals(Set.of(key(Map.of("path_a", ADDED, "path_b", "bikes/lock-it-up.md"))), added,
        "the near copy pairs with its original");
    assertFalse(gone.isEmpty());
    for (String p : gone) assertTrue(p.contains(DELETED) || p.contains(EDITED), p);
    assertEquals(added, changed("night-2", "new_pair"));
    assertEquals(gone, changed("night-2", "gone_pair"));
    for (Map<String, String> r : Csv.read(tmp.resolve("night-2/changes.csv"))) {
      String why = r.get("why");
      switch (r.get("change")) {
        case "new_pair" -> assertEquals(ADDED + " was added", why);
        case "gone_pair" -> assertTrue(why.equals(DELETED + " was deleted") || why.equals(EDITED + " was edited"), why);
        default -> assertFalse(why.isBlank(), r.toString());
      }
      assertEquals(run("night-1"), r.get("run_previous"));
      assertEquals(run("night-2"), r.get("run_now"));
    }
    assertEquals(Set.of(ADDED, "bikes/lock-it-up.md"), members("night-2", "joined_cluster"), "a new cluster of two");
    JsonNode counts = summary("night-2").get("changes");
    assertEquals(1, counts.get("new_pair").asInt());
    assertEquals(gone.size(), counts.get("gone_pair").asInt());
    assertEquals(run("night-1"), counts.get("previous_run").asText());
    String html = Files.readString(tmp.resolve("night-2/report.html"));
    assertTrue(html.indexOf("id=\"changes\"") > 0 && html.indexOf("id=\"changes\"") < html.indexOf("id=\"summary\""),
        "report.html shows what is new first");
    assertTrue(html.contains(ADDED + " was added"), "with why");
    assertEquals(withoutRunNow("night-2"), withoutRunNow("night-2b"),
        "the same changes whether or not the exit code is asked for");
  }

  @Test
  void aNightWithoutChangesReportsNone() throws IOException {
    assertEquals(0, exit3);
    assertEquals(pairs("night-2"), pairs("night-3"));
    assertTrue(Csv.read(tmp.resolve("night-3/changes.csv")).isEmpty());
    assertEquals(0, summary("night-3").get("changes").get("new_pair").asInt());
  }

  /** A report's pairs as "path ~ path" (in path order: doc_a/doc_b may come in either order). */
  private static Set<String> pairs(String report) throws IOException {
    Set<String> out = new TreeSet<>();
    for (Map<String, String> r : Csv.read(tmp.resolve(report).resolve("pairs.csv"))) out.add(key(r));
    return out;
  }

  private static Set<String> changed(String report, String change) throws IOException {
    Set<String> out = new TreeSet<>();
    for (Map<String, String> r : Csv.read(tmp.resolve(report).resolve("changes.csv"))) {
      if (r.get("change").equals(change)) out.add(key(r));
    }
    return out;
  }

  private static List<Map<String, String>> withoutRunNow(String report) throws IOException {
    List<Map<String, String>> rows = Csv.read(tmp.resolve(report).resolve("changes.csv"));
    rows.forEach(r -> r.remove("run_now"));
    return rows;
  }

  private static Set<String> members(String report, String change) throws IOException {
    Set<String> out = new TreeSet<>();
    for (Map<String, String> r : Csv.read(tmp.resolve(report).resolve("changes.csv"))) {
      if (r.get("change").equals(change)) out.add(r.get("path_a"));
    }
    return out;
  }

  private static String key(Map<String, String> r) {
    String a = r.get("path_a"), b = r.get("path_b");
    return a.compareTo(b) < 0 ? a + " ~ " + b : b + " ~ " + a;
  }

  private static JsonNode summary(String report) throws IOException {
    return new ObjectMapper().readTree(tmp.resolve(report).resolve("summary.json").toFile());
  }

  private static String run(String report) throws IOException {
    return summary(report).get("run_id").asText();
  }
}
