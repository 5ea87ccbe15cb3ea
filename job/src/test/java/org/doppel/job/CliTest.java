package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.doppel.job.cli.DoppelCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors: exit 2 and exactly one clear line, no stack trace; --help and --version exit 0. */
class CliTest {
  @TempDir
  Path tmp;

  record Result(int exit, String out, String err) {}

  Result run(String... args) {
    return runWithEnv(Map.of(), args);
  }

  Result runWithEnv(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int exit = DoppelCommand.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
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
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", tmp.resolve("r").toString(), "--ocr", "maybe"), "--ocr");
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", tmp.resolve("r").toString(), "--html-pairs", "-1"), "--html-pairs");
  }

  @Test
  void badSearchOptions() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    String in = tmp.resolve("in").toString(), out = tmp.resolve("r").toString();
    assertUsageError(run("run", in, "--out", out, "--search", "fuzzy"), "--search: unknown search 'fuzzy'");
    assertUsageError(run("run", in, "--out", out, "--probe-width", "-1"), "--probe-width must be >= 0");
    assertUsageError(run("run", in, "--out", out, "--blocked-above", "-1"), "--blocked-above must be >= 0");
  }

  @Test
  void unwritableOutput() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    Path file = Files.writeString(tmp.resolve("a-file"), "x");
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", file.resolve("report").toString()), "cannot write report");
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", file.toString()), "cannot write report");
  }

  @Test
  void stateFolderThatHoldsSomethingElseIsRefused() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    Files.createDirectories(tmp.resolve("photos"));
    Files.writeString(tmp.resolve("photos/cat.jpg"), "not a state");
    String in = tmp.resolve("in").toString(), out = tmp.resolve("r").toString();
    assertUsageError(run("run", in, "--out", out, "--state", tmp.resolve("photos").toString()), "is not a Doppel state");
    assertUsageError(run("run", in, "--out", out, "--state", out), "--state " + out + " is --out " + out);
    assertUsageError(run("run", in, "--out", out, "--state", tmp.resolve("in/.state").toString()), "inside the input folder");
    assertTrue(Files.exists(tmp.resolve("photos/cat.jpg")), "left alone");
  }

  @Test
  void missingOutAndUnknownOption() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    assertUsageError(run("run", tmp.resolve("in").toString()), "--out");
    assertUsageError(run("run", tmp.resolve("in").toString(), "--out", "x", "--bogus"), "--bogus");
  }

  @Test
  void optionsFromConfigFileAndEnvironmentAreValidatedLikeTheCommandLine() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    String in = tmp.resolve("in").toString(), out = tmp.resolve("r").toString();
    Path config = Files.writeString(tmp.resolve("doppel.properties"), "threshold = 1.5\n");
    assertUsageError(run("run", in, "--out", out, "--config", config.toString()), "--threshold must be in [0, 1], got 1.5");
    assertUsageError(runWithEnv(Map.of("DOPPEL_CONFIG", config.toString()), "run", in, "--out", out), "got 1.5");
    // environment over file, command line over both
    assertUsageError(runWithEnv(Map.of("DOPPEL_THRESHOLD", "2.5"), "run", in, "--out", out, "--config", config.toString()), "got 2.5");
    assertUsageError(runWithEnv(Map.of("DOPPEL_THRESHOLD", "2.5"), "run", in, "--out", out, "--threshold", "3.5"), "got 3.5");
    assertUsageError(run("run", in, "--out", out, "--config", tmp.resolve("missing.properties").toString()), "config file not found");
    Path retired = Files.writeString(tmp.resolve("retired.properties"), "probes = 3\nthreshold = 0.5\n");
    assertUsageError(run("run", in, "--out", out, "--config", retired.toString()), "names no option: probes");
  }

  @Test
  void aModelThatCannotBeLoadedIsAUsageErrorBeforeAnyWork() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    String in = tmp.resolve("in").toString(), out = tmp.resolve("r").toString();
    Path empty = Files.createDirectories(tmp.resolve("empty-model"));
    assertUsageError(run("run", in, "--out", out, "--model", empty.toString()), "--model: model directory " + empty
        + " is incomplete: no *.onnx file (nor model.safetensors)");
    Path hf = Files.createDirectories(tmp.resolve("hf-model"));
    Files.writeString(hf.resolve("config.json"), "{\"model_type\": \"bert\", \"hidden_size\": 8, "
        + "\"num_attention_heads\": 2, \"num_hidden_layers\": 1}");
    Files.writeString(hf.resolve("model.safetensors"), "");
    assertUsageError(run("embed", in, "--out", out, "--model", hf.toString()), "missing " + hf.resolve("tokenizer.json"));
    Files.writeString(hf.resolve("tokenizer.json"), "{}");
    Files.writeString(hf.resolve("modules.json"), "[{\"idx\": 0, \"path\": \"\", \"type\": "
        + "\"sentence_transformers.models.Transformer\"}, {\"idx\": 1, \"path\": \"2_Dense\", \"type\": "
        + "\"sentence_transformers.models.Dense\"}]");
    assertUsageError(run("run", in, "--out", out, "--model", hf.toString()),
        "unsupported sentence-transformers module sentence_transformers.models.Dense");
    Files.delete(hf.resolve("modules.json"));
    Files.writeString(hf.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
    assertUsageError(run("run", in, "--out", out, "--model", hf.toString()), "unknown architecture");
    assertFalse(Files.exists(tmp.resolve("r")), "nothing written");
  }

  @Test
  void anEnvironmentVariableThatNamesNoOptionIsAnError() throws Exception {
    Files.createDirectories(tmp.resolve("in"));
    String in = tmp.resolve("in").toString(), out = tmp.resolve("r").toString();
    assertUsageError(runWithEnv(Map.of("DOPPEL_TRESHOLD", "0.9"), "run", in, "--out", out),
        "environment variable DOPPEL_TRESHOLD names no option");
    assertUsageError(runWithEnv(Map.of("DOPPEL_JAVA_OPTS", "-Xmx2g", "DOPPEL_THRESHOLD", "7"), "run", in, "--out", out),
        "--threshold must be in [0, 1], got 7.0");
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
