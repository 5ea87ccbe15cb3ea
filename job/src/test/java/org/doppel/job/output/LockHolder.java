package org.doppel.job.output;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Test helper run as its own JVM: takes the run lock of a folder, says so, and holds it until killed. */
public final class LockHolder {
  private LockHolder() {}

  /** Starts a JVM that holds the lock of {@code folder}; returns once it has it. */
  public static Process start(Path folder) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        LockHolder.class.getName(), folder.toString())).redirectErrorStream(true).start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("locked ")) {
      p.destroyForcibly();
      throw new IOException("lock holder did not start: " + line);
    }
    return p;
  }

  public static void main(String[] args) throws Exception {
    RunLock lock = RunLock.acquire(Path.of(args[0]), "--out", System.err);
    System.out.println("locked " + ProcessHandle.current().pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
    lock.close();
  }
}
