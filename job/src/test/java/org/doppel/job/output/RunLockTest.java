package org.doppel.job.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs cannot share an output folder; a lock left by a killed run is taken over with a warning. */
class RunLockTest {
  @TempDir
  Path tmp;

  @Test
  void aLiveHolderIsNamedAndADeadOnesLockIsTakenOver() throws Exception {
    Path out = tmp.resolve("report");
    Process p = LockHolder.start(out);
    try {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      RunLock.Busy busy = assertThrows(RunLock.Busy.class, () -> RunLock.acquire(out, "--out", new PrintStream(err, true)));
      assertTrue(busy.getMessage().contains("--out " + out + " is in use by another Doppel run (pid " + p.pid() + " on "),
          busy.getMessage());
    } finally {
      p.destroyForcibly(); // SIGKILL: the holder cannot clean up
      p.waitFor(30, TimeUnit.SECONDS);
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (RunLock lock = RunLock.acquire(out, "--out", new PrintStream(err, true, StandardCharsets.UTF_8))) {
      String warning = err.toString(StandardCharsets.UTF_8);
      assertTrue(warning.contains("the run that held it did not finish (pid " + p.pid()), warning);
      assertTrue(warning.contains("taking over its lock"), warning);
    }
    ByteArrayOutputStream quiet = new ByteArrayOutputStream();
    try (RunLock lock = RunLock.acquire(out, "--out", new PrintStream(quiet, true))) {
      assertEquals("", quiet.toString(), "a lock released by a finished run is taken silently");
    }
    assertEquals(0, Files.size(RunLock.fileFor(out)));
  }
}
