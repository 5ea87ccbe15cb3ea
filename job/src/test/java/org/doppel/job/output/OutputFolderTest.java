package org.doppel.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed run leaves the previous folder as it was, a finished one replaces it whole, and nothing Doppel did not
 * write is ever deleted: not a folder of the user's files, not a file added to an old report, not an unmarked
 * hidden folder that happens to have a staging name.
 */
class OutputFolderTest {
  @TempDir
  Path tmp;

  private static final OutputFolder.Kind REPORT = OutputFolder.Kind.REPORT;

  /** A report as a finished run leaves it: pairs.csv with the given content, and the marker. */
  private Path report(Path target, String pairs) throws Exception {
    OutputFolder f = new OutputFolder(target, REPORT, "--out", RunId.next());
    Files.writeString(f.begin().localPath().resolve("pairs.csv"), pairs);
    f.commit();
    return target;
  }

  private Set<String> siblings() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  @Test
  void abortKeepsPreviousAndCommitReplacesIt() throws Exception {
    Path target = report(tmp.resolve("report"), "old");
    OutputMarker marker = OutputMarker.read(target);
    assertNotNull(marker);
    assertTrue(marker.complete());
    assertEquals(List.of("pairs.csv"), marker.entries());

    OutputFolder failed = new OutputFolder(target, REPORT, "--out", RunId.next());
    Files.writeString(failed.begin().localPath().resolve("pairs.csv"), "half-written");
    failed.abort();
    assertEquals("old", Files.readString(target.resolve("pairs.csv")));

    OutputFolder ok = new OutputFolder(target, REPORT, "--out", RunId.next());
    Path staging = ok.begin().localPath();
    Files.writeString(staging.resolve("pairs.csv"), "new");
    Files.writeString(staging.resolve("clusters.csv"), "new");
    assertEquals("old", Files.readString(target.resolve("pairs.csv")), "nothing visible before commit");
    ok.commit();
    assertEquals("new", Files.readString(target.resolve("pairs.csv")));
    assertEquals(List.of("clusters.csv", "pairs.csv"), OutputMarker.read(target).entries());
    assertEquals(Set.of("report"), siblings(), "no staging or previous folders left behind");
  }

  @Test
  void aFolderOfSomeoneElsesFilesIsNeverReplaced() throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(photos.resolve("cat.jpg"), "meow");
    String why = OutputFolder.problem(photos, REPORT, "--out");
    assertNotNull(why);
    assertTrue(why.contains("is not empty and is not a Doppel report (e.g. 'cat.jpg')"), why);
    OutputFolder f = new OutputFolder(photos, REPORT, "--out", RunId.next());
    assertThrows(java.io.IOException.class, f::begin);
    assertEquals("meow", Files.readString(photos.resolve("cat.jpg")));
    assertEquals(Set.of("photos"), siblings(), "no staging folder made either");
  }

  @Test
  void aFileAddedToAnOldReportIsNotDeleted() throws Exception {
    Path target = report(tmp.resolve("report"), "old");
    Files.writeString(target.resolve("my-notes.txt"), "reviewed pairs 1-40");
    String why = OutputFolder.problem(target, REPORT, "--out");
    assertNotNull(why);
    assertTrue(why.contains("holds 'my-notes.txt' that Doppel did not write"), why);
  }

  @Test
  void aFileAddedWhileTheRunWorksStopsTheSwap() throws Exception {
    Path target = report(tmp.resolve("report"), "old");
    OutputFolder f = new OutputFolder(target, REPORT, "--out", RunId.next());
    Files.writeString(f.begin().localPath().resolve("pairs.csv"), "new");
    Files.writeString(target.resolve("my-notes.txt"), "added during the run");
    assertThrows(java.io.IOException.class, f::commit);
    assertEquals("old", Files.readString(target.resolve("pairs.csv")));
    assertEquals("added during the run", Files.readString(target.resolve("my-notes.txt")));
  }

  @Test
  void emptyFolderAndReportsOfEarlierVersionsAreReplaced() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertNull(OutputFolder.problem(empty, REPORT, "--out"));
    report(empty, "new");
    assertEquals("new", Files.readString(empty.resolve("pairs.csv")));

    Path legacy = Files.createDirectories(tmp.resolve("legacy"));
    Files.writeString(legacy.resolve("summary.json"), "{\n  \"versions\": {\"doppel\": \"0.1.0\"}\n}\n");
    Files.writeString(legacy.resolve("pairs.csv"), "old");
    assertNull(OutputFolder.problem(legacy, REPORT, "--out"));
    report(legacy, "new");
    assertEquals("new", Files.readString(legacy.resolve("pairs.csv")));
    assertFalse(Files.exists(legacy.resolve("summary.json")));

    Path fake = Files.createDirectories(tmp.resolve("fake"));
    Files.writeString(fake.resolve("summary.json"), "{\"total\": 3}");
    assertNotNull(OutputFolder.problem(fake, REPORT, "--out"), "a summary.json that is not Doppel's");
  }

  @Test
  void aStateIsNotAReportNorTheOtherWayRound() throws Exception {
    Path target = report(tmp.resolve("report"), "old");
    String why = OutputFolder.problem(target, OutputFolder.Kind.STATE, "--state");
    assertNotNull(why);
    assertTrue(why.contains("is a Doppel report folder, not a state folder"), why);
  }

  @Test
  void previousFolderLeftByAnInterruptedSwapIsRestored() throws Exception {
    Path target = report(tmp.resolve("report"), "old");
    Path previous = tmp.resolve(".report.previous");
    Files.move(target, previous);
    new OutputFolder(target, REPORT, "--out", RunId.next()).begin();
    assertEquals("old", Files.readString(target.resolve("pairs.csv")));
    assertFalse(Files.exists(previous));
  }

  @Test
  void onlyMarkedStagingLeftByAKilledRunIsRemoved() throws Exception {
    Path stale = report(tmp.resolve(".report.tmp-999999999"), "half");
    Path lookalike = Files.createDirectories(tmp.resolve(".report.tmp-999999998"));
    Files.writeString(lookalike.resolve("diary.txt"), "not Doppel's");
    new OutputFolder(tmp.resolve("report"), REPORT, "--out", RunId.next()).begin();
    assertFalse(Files.exists(stale));
    assertEquals("not Doppel's", Files.readString(lookalike.resolve("diary.txt")));
  }

  @Test
  void aLinkedOutputIsWrittenWhereItPoints() throws Exception {
    Path real = Files.createDirectories(tmp.resolve("elsewhere/reports"));
    Path link = Files.createSymbolicLink(tmp.resolve("report"), real);
    report(link, "new");
    assertTrue(Files.isSymbolicLink(link), "the link stays a link");
    assertEquals("new", Files.readString(real.resolve("pairs.csv")));
  }
}
