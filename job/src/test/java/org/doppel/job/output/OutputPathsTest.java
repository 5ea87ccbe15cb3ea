package org.doppel.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths resolved as the system opens them, and every overlap between inputs and outputs named. */
class OutputPathsTest {
  @TempDir
  Path tmp;

  @Test
  void dotDotAfterALinkIsTheLinkTargetsParent() throws Exception {
    Path deep = Files.createDirectories(tmp.resolve("a/b/c"));
    Path link = Files.createSymbolicLink(tmp.resolve("l"), deep);
    assertEquals(tmp.toRealPath().resolve("a/b"), OutputPaths.resolve(link.resolve("..")));
    assertEquals(tmp.toRealPath().resolve("a/b/c/new/x"), OutputPaths.resolve(link.resolve("new/./x")));
  }

  private static String problem(List<String> inputs, String out, String state) {
    return OutputPaths.problem(OutputPaths.inputs(inputs),
        List.of(new OutputPaths.Given("--out", out), new OutputPaths.Given("--state", state)));
  }

  @Test
  void everyOverlapIsRefusedNamingBothPaths() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    String i = in.toString();
    assertTrue(problem(List.of(i), i, null).startsWith("--out " + i + " is the input folder " + i));
    assertTrue(problem(List.of(i), in.resolve("r").toString(), null).contains("is inside the input folder " + i));
    assertTrue(problem(List.of(i), tmp.toString(), null).contains("--out " + tmp + " contains the input folder " + i));
    assertTrue(problem(List.of(i), tmp.resolve("r").toString(), i + "/s").contains("--state " + i + "/s is inside"));
    assertTrue(problem(List.of(i), tmp.resolve("r").toString(), tmp.resolve("r").toString())
        .contains("--state " + tmp.resolve("r") + " is --out " + tmp.resolve("r")));
    assertTrue(problem(List.of(i), tmp.resolve("r").toString(), tmp.resolve("r/s").toString()).contains("is inside --out"));
    assertTrue(problem(List.of(i, in.resolve("sub").toString()), tmp.resolve("r").toString(), null)
        .contains("input " + in.resolve("sub") + " is inside the input folder " + i));
    assertNull(problem(List.of(i), tmp.resolve("r").toString(), tmp.resolve("s").toString()));
    assertNull(problem(List.of(i), tmp.resolve("in-report").toString(), null), "a common prefix of names is no overlap");
  }

  @Test
  void linksAndDotDotCannotHideAnInput() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path link = Files.createSymbolicLink(tmp.resolve("shortcut"), in);
    String why = problem(List.of(in.toString()), link.toString(), null);
    assertTrue(why.startsWith("--out " + link + " (" + in.toRealPath() + ") is the input folder"), why);
    why = problem(List.of(in.toString()), in.resolve("sub/..").toString(), null);
    assertTrue(why.contains("is the input folder"), why);
  }
}
