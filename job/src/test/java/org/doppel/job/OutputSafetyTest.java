package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.doppel.job.cli.DoppelCommand;
import org.doppel.job.output.LockHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rule, through the command line on real folders: Doppel writes only into --out and --state, each new, empty or
 * written by Doppel, and neither the same as, inside or above an input or the other. Every refusal is exit 2 with one
 * line naming both paths before any work starts, and every input byte is still there afterwards.
 */
class OutputSafetyTest {
  @TempDir
  Path tmp;
  Path in;
  Map<String, String> before;

  @BeforeEach
  void documents() throws Exception {
    in = Files.createDirectories(tmp.resolve("docs"));
    Files.writeString(in.resolve("a.txt"), "Compost heaps need green and brown material.");
    Files.createDirectories(in.resolve("sub"));
    Files.writeString(in.resolve("sub/b.txt"), "Bicycle chains want cleaning and a little oil.");
    before = tree(tmp);
  }

  /** Every file under {@code root} (links not followed) with its SHA-256. */
  static Map<String, String> tree(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }

  record Result(int exit, String err) {}

  static Result doppel(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int exit = DoppelCommand.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(exit, err.toString());
  }

  /** Refused with exit 2, one line holding every fragment, and not one byte of the tree touched. */
  void refused(Result r, String... fragments) throws Exception {
    assertEquals(2, r.exit(), r.err());
    String[] lines = r.err().strip().split("\n");
    assertEquals(1, lines.length, r.err());
    for (String f : fragments) assertTrue(lines[0].contains(f), "'" + f + "' in: " + lines[0]);
    assertFalse(r.err().contains("\tat "), "no stack trace");
    assertEquals(before, tree(tmp), "every input byte is still there, nothing added");
  }

  @Test
  void anOutputOnTopOfTheInputIsRefused() throws Exception {
    String i = in.toString();
    refused(doppel("run", i, "--out", i), "--out " + i + " is the input folder " + i);
    refused(doppel("embed", i, "--out", i), "--out " + i + " is the input folder " + i);
    refused(doppel("run", i, "--out", in.resolve("sub").toString()), "--out " + in.resolve("sub"), "is inside the input folder " + i);
    refused(doppel("run", i, "--out", in.resolve("new-report").toString()), "is inside the input folder " + i);
    refused(doppel("run", i, "--out", tmp.toString()), "--out " + tmp + " contains the input folder " + i);
    refused(doppel("run", in.resolve("sub").toString(), "--out", i), "contains the input folder " + in.resolve("sub"));
    refused(doppel("run", i, "--out", in.resolve("sub/..").toString()), "is the input folder " + i);
  }

  @Test
  void aLinkToTheInputIsSeenThrough() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("shortcut"), in);
    before = tree(tmp);
    refused(doppel("run", in.toString(), "--out", link.toString()), "--out " + link + " (" + in.toRealPath() + ")",
        "is the input folder " + in);
    refused(doppel("run", link.toString(), "--out", in.resolve("r").toString()), "is inside the input folder " + link);
  }

  @Test
  void theStateIsHeldToTheSameRule() throws Exception {
    String i = in.toString(), out = tmp.resolve("report").toString();
    refused(doppel("run", i, "--out", out, "--state", i), "--state " + i + " is the input folder " + i);
    refused(doppel("run", i, "--out", out, "--state", in.resolve(".state").toString()), "is inside the input folder " + i);
    refused(doppel("run", i, "--out", out, "--state", tmp.toString()), "--state " + tmp + " contains the input folder");
    refused(doppel("run", i, "--out", out, "--state", out), "--state " + out + " is --out " + out);
    refused(doppel("run", i, "--out", out, "--state", out + "/state"), "--state " + out + "/state is inside --out " + out);
    refused(doppel("run", i, "--out", out + "/r", "--state", out), "--state " + out + " contains --out " + out + "/r");
  }

  @Test
  void overlappingInputsAreRefused() throws Exception {
    String i = in.toString();
    refused(doppel("run", i, in.resolve("sub").toString(), "--out", tmp.resolve("r").toString()),
        "input " + in.resolve("sub") + " is inside the input folder " + i);
    refused(doppel("run", i, i, "--out", tmp.resolve("r").toString()), "input " + i + " is the input folder " + i);
  }

  @Test
  void aFolderThatIsNotAReportIsNotReplaced() throws Exception {
    Path photos = Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(photos.resolve("cat.jpg"), "meow");
    before = tree(tmp);
    refused(doppel("run", in.toString(), "--out", photos.toString()),
        "--out " + photos + " is not empty and is not a Doppel report (e.g. 'cat.jpg')");
    refused(doppel("run", in.toString(), "--out", tmp.resolve("r").toString(), "--state", photos.toString()),
        "--state " + photos + " is not empty and is not a Doppel state");
  }

  @Test
  void aSecondRunOnTheSameOutputExitsNamingTheFirst() throws Exception {
    Path out = tmp.resolve("report");
    Process first = LockHolder.start(out);
    try {
      Result r = doppel("run", in.toString(), "--out", out.toString());
      assertEquals(DoppelCommand.BUSY, r.exit(), r.err());
      assertTrue(r.err().strip().contains("--out " + out + " is in use by another Doppel run (pid " + first.pid()), r.err());
      assertEquals(1, r.err().strip().split("\n").length, r.err());
    } finally {
      first.destroyForcibly();
      first.waitFor();
    }
    assertEquals(tree(in), new TreeMap<>(Map.of("a.txt", before.get("docs/a.txt"), "sub/b.txt", before.get("docs/sub/b.txt"))));
  }
}
