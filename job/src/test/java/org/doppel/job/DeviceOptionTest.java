package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.doppel.job.cli.DoppelCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --device (run/embed: the model and the cosine tiles; pairs: the cosine tiles): a bad value and a GPU that is not
 * there are usage errors (exit 2, one line), before any work.
 */
class DeviceOptionTest {
  @TempDir
  Path tmp;

  String[] runArgs(String... extra) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("a.txt"), "Some text.");
    String[] base = {"embed", in.toString(), "--out", tmp.resolve("out").toString()};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  String usageErrorLine(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int exit = DoppelCommand.execute(args, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(2, exit, err.toString());
    String[] lines = err.toString().strip().split("\n");
    assertEquals(1, lines.length, "one line: " + err);
    assertFalse(err.toString().contains("\tat "), "no stack trace");
    return lines[0];
  }

  @Test
  void unknownDevice() throws Exception {
    assertEquals("doppel: --device must be auto, cpu or gpu, got tpu", usageErrorLine(runArgs("--device", "tpu")));
  }

  @Test
  void gpuWithoutAGpuIsAUsageError() throws Exception {
    System.setProperty("ai.djl.offline", "true");
    Engine engine = Engine.getEngine("PyTorch");
    assumeTrue(engine.getGpuCount() == 0, "this machine has a CUDA GPU");
    String line = usageErrorLine(runArgs("--device", "gpu"));
    assertTrue(line.startsWith("doppel: --device gpu: GPU requested but PyTorch " + engine.getVersion() + " "), line);
    assertTrue(line.contains(engine.hasCapability("CUDA") ? "sees no GPU" : "CPU-only build"), line);
    assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    // The same check when the value comes from the environment.
    StringWriter err = new StringWriter();
    int exit = DoppelCommand.execute(runArgs(), Map.of("DOPPEL_DEVICE", "gpu"), new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true));
    assertEquals(2, exit);
    assertEquals(line, err.toString().strip());
  }

  @Test
  void pairsTakesTheSameDeviceOption() throws Exception {
    System.setProperty("ai.djl.offline", "true");
    Path vectors = Files.createDirectories(tmp.resolve("vectors"));
    String[] bad = {"pairs", "--vectors", vectors.toString(), "--out", tmp.resolve("out").toString(), "--device", "tpu"};
    assertEquals("doppel: --device must be auto, cpu or gpu, got tpu", usageErrorLine(bad));
    Engine engine = Engine.getEngine("PyTorch");
    assumeTrue(engine.getGpuCount() == 0, "this machine has a CUDA GPU");
    bad[bad.length - 1] = "gpu";
    String line = usageErrorLine(bad);
    assertTrue(line.startsWith("doppel: --device gpu: GPU requested but PyTorch " + engine.getVersion() + " "), line);
    assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
  }
}
