package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.doppel.job.cli.DoppelCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Usage errors: exit 2 and exactly one clear line, no stack trace; --help and --version exit 0. */
class CliTest {
  @TempDir
  Path tmp;

  record Result(int exit, String out, String err) {}

  Result run(String... args) {
    CommandLine cl = DoppelCommand.commandLine();
    StringWriter out = new StringWriter(), err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  void assertUsageError(Result r, String expectedFragment) {
    assertEquals(2, r.exit(), r.err());
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, "one line: " + r.err());
    assertTrue(lines[0].startsWith("doppel: ") && lines[0].contains(expectedFragment), lines[0]);
    assertFalse(r.err().contains("\tat "), "no stack trace");
  }

  @Test
  void missingInputFolder() {
    assertUsageError(run("run", tmp.resolve("nope").toString(), "--out", tmp.resolve("r").toString()), "input folder not found");
  }

  @Test
  void badThreshold() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", tmp.resolve("r").toString(), "--threshold", "1.5"), "--threshold");
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", tmp.resolve("r").toString(), "--threshold", "abc"), "abc");
  }

  @Test
  void unwritableOutput() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", file.resolve("report").toString()), "cannot write report");
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", file.toString()), "cannot write report");
  }

  @Test
  void missingOutAndUnknownOption() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    assertUsageError(run("run", tmp.resolve("in").toString()), "--out");
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", "x", "--bogus"), "--bogus");
  }

  @Test
  void helpAndVersion() {
    Result help = run("run", "--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("--threshold") && help.out().contains("INPUT_DIR"), help.out());
    Result version = run("--version");
    assertEquals(0, version.exit());
    assertTrue(version.out().startsWith("doppel "), version.out());
  }
}
