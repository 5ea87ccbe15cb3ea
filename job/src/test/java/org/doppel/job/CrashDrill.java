package org.doppel.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.doppel.job.cli.DoppelCommand;

/**
 * SIGKILL drill on a real {@code doppel run} (a child JVM): a clean run makes the reference report, then each
 * kill starts a run over the same input and kills it at a seeded random moment between JVM start and the end
 * of a run. After each kill the report folder (and the --state folder, when the CLI has that option) must be
 * byte-identical to before and readable, or, if the kill came after the swap, a whole report equal to the
 * reference. Extraction child processes of the killed JVM must go away. A final rerun must complete and equal
 * the reference, leaving no staging folders behind. Shared by CrashSafetyTest (3 kills) and scripts/crash-test
 * ({@code --kills N --seed S}; exit 0 when everything held).
 */
final class CrashDrill {
  /** What one kill found. */
  record Kill(int n, long afterMs, String stage, String outcome, long orphans) {}

  /** The whole drill: the reference run's time, each kill, and the final rerun. */
  record Result(double cleanSeconds, List<Kill> kills, boolean stateChecked, ReportDiff.Result rerun,
                List<String> leftovers, List<String> failures) {
    boolean passed() {
      return failures.isEmpty();
    }

    long count(String outcome) {
      return kills.stream().filter(k -> k.outcome().equals(outcome)).count();
    }
  }

  private final Path docs;
  private final Path work;
  private final PrintStream log;
  private final boolean useState;

  CrashDrill(Path docs, Path work, PrintStream log) {
    this.docs = docs;
    this.work = work;
    this.log = log;
    this.useState = cliHasState();
  }

  /** Whether this build's {@code doppel run} takes --state (incremental runs); the drill checks its folder too. */
  static boolean cliHasState() {
    return DoppelCommand.commandLine().getSubcommands().get("run").getCommandSpec().findOption("--state") != null;
  }

  Result run(int kills, long seed) throws Exception {
    Path out = work.resolve("report");
    Path state = work.resolve("state");
    Path reference = work.resolve("reference");
    List<String> failures = new ArrayList<>();
    long t0 = System.nanoTime();
    int first = runDoppel(out, -1, work.resolve("run-clean.log"));
    double cleanSeconds = (System.nanoTime() - t0) / 1e9;
    if (first != 0) {
      failures.add("clean run exited " + first + " (see " + work.resolve("run-clean.log") + ")");
      return new Result(cleanSeconds, List.of(), useState, null, List.of(), failures);
    }
    copyTree(out, reference);
    log.printf(Locale.ROOT, "clean run: %.1f s%s%n", cleanSeconds, useState ? " (with --state " + state + ")" : "");
    long windowMs = (long) (cleanSeconds * 1000);
    if (useState) {
      // later runs reuse the state and are shorter: aim the kills at the length of such a run
      long t1 = System.nanoTime();
      int warm = runDoppel(out, -1, work.resolve("run-warm.log"));
      windowMs = (System.nanoTime() - t1) / 1_000_000;
      if (warm != 0) failures.add("run with a warm state exited " + warm);
    }

    Random rnd = new Random(seed);
    List<Kill> done = new ArrayList<>();
    Map<String, String> before = snapshot(out);
    Map<String, String> stateBefore = useState ? snapshot(state) : Map.of();
    for (int n = 1; n <= kills; n++) {
      long afterMs = 300 + (long) (rnd.nextDouble() * Math.max(1, windowMs - 300));
      Path runLog = work.resolve("run-kill-" + n + ".log");
      Child child = startDoppel(out, runLog);
      boolean exited = child.proc.waitFor(afterMs, TimeUnit.MILLISECONDS);
      List<ProcessHandle> descendants = child.proc.descendants().toList();
      if (!exited) {
        child.proc.destroyForcibly(); // SIGKILL
        child.proc.waitFor();
      }
      long orphans = awaitGone(descendants, 60);
      String stage = lastStage(runLog);
      String outcome;
      Map<String, String> after = snapshot(out);
      Map<String, String> stateAfter = useState ? snapshot(state) : Map.of();
      ReportDiff.Result vsReference = ReportDiff.compare(reference, out);
      if (exited) {
        outcome = child.proc.exitValue() == 0 ? "finished" : "failed";
      } else if (after.equals(before)) {
        outcome = "intact";
      } else {
        outcome = "replaced"; // killed after the swap, before the JVM exited
      }
      if (!vsReference.equal() || outcome.equals("failed")) {
        failures.add("kill " + n + " at " + afterMs + " ms (" + stage + "): report " + outcome
            + " but not a whole report equal to the clean run: " + vsReference.differences().stream().limit(3).toList());
        outcome = "BROKEN";
      } else if (outcome.equals("intact") && !stateAfter.equals(stateBefore)) {
        failures.add("kill " + n + " at " + afterMs + " ms (" + stage + "): the report was kept but the state folder changed");
        outcome = "BROKEN-state";
      }
      if (orphans > 0) failures.add("kill " + n + ": " + orphans + " child processes still alive 60 s after the kill");
      done.add(new Kill(n, afterMs, stage, outcome, orphans));
      log.printf(Locale.ROOT, "kill %2d at %6d ms in %-8s -> %s%s%n", n, afterMs, stage, outcome,
          orphans > 0 ? " (" + orphans + " orphans)" : "");
      before = after;
      stateBefore = stateAfter;
    }

    int last = runDoppel(out, -1, work.resolve("run-rerun.log"));
    ReportDiff.Result rerun = ReportDiff.compare(reference, out);
    if (last != 0) failures.add("rerun exited " + last);
    if (!rerun.equal()) failures.add("rerun differs from the clean run: " + rerun.differences().stream().limit(5).toList());
    List<String> leftovers;
    try (Stream<Path> s = Files.list(out.getParent())) {
      leftovers = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".report.")).sorted().toList();
    }
    if (!leftovers.isEmpty()) failures.add("staging folders left after the rerun: " + leftovers);
    return new Result(cleanSeconds, done, useState, rerun, leftovers, failures);
  }

  private record Child(Process proc) {}

  private Child startDoppel(Path out, Path runLog) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    cmd.addAll(List.of(System.getProperty("doppel.jvm.opens", "").split(" ")).stream().filter(s -> !s.isBlank()).toList());
    cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.doppel.job.cli.Main",
        "run", docs.toString(), "--out", out.toString()));
    if (useState) cmd.addAll(List.of("--state", work.resolve("state").toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(runLog.toFile());
    return new Child(pb.start());
  }

  /** Runs doppel to the end (or kills it after {@code killAfterMs} if >= 0); its exit code, 137 when killed. */
  int runDoppel(Path out, long killAfterMs, Path runLog) throws Exception {
    Process p = startDoppel(out, runLog).proc;
    if (killAfterMs >= 0 && !p.waitFor(killAfterMs, TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor();
      return 137;
    }
    if (!p.waitFor(20, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return 124;
    }
    return p.exitValue();
  }

  /** Waits up to {@code seconds} for processes to exit; how many are still alive. */
  private static long awaitGone(List<ProcessHandle> procs, int seconds) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < until && procs.stream().anyMatch(ProcessHandle::isAlive)) Thread.sleep(100);
    return procs.stream().filter(ProcessHandle::isAlive).count();
  }

  /** The pipeline stage the run had reached (its last progress line), or "start" before the first. */
  private static String lastStage(Path runLog) throws IOException {
    String stage = "start";
    if (!Files.exists(runLog)) return stage;
    for (String line : Files.readString(runLog, StandardCharsets.UTF_8).split("[\r\n]+")) {
      String w = line.split(" ", 2)[0];
      if (List.of("list", "extract", "embed", "pairs", "clusters", "write").contains(w)) stage = w;
      if (line.startsWith("done:")) stage = "done";
    }
    return stage;
  }

  /** Relative path -> SHA-256 of every file under {@code dir} (Parquet part names, random per run, normalised). */
  static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    if (!Files.exists(dir)) return out;
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String name = dir.relativize(p).toString();
        if (name.endsWith(".crc")) continue;
        try {
          out.put(name.replaceAll("part-[^/]*", "part"),
              HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }

  /** scripts/crash-test: {@code CrashDrill --docs DIR --work DIR [--kills N] [--seed S]}. */
  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new TreeMap<>(Map.of("--kills", "20", "--seed", "20261123"));
    for (int i = 0; i + 1 < args.length; i += 2) opt.put(args[i], args[i + 1]);
    if (!opt.containsKey("--docs") || !opt.containsKey("--work")) {
      System.err.println("usage: CrashDrill --docs DIR --work DIR [--kills N] [--seed S]");
      System.exit(2);
    }
    Path work = Path.of(opt.get("--work")).toAbsolutePath();
    Files.createDirectories(work);
    long t0 = System.nanoTime();
    CrashDrill drill = new CrashDrill(Path.of(opt.get("--docs")), work, System.out);
    Result r = drill.run(Integer.parseInt(opt.get("--kills")), Long.parseLong(opt.get("--seed")));
    r.failures().forEach(f -> System.out.println("FAIL " + f));
    System.out.printf(Locale.ROOT, "crash-test: %d kills (%d intact, %d replaced whole, %d finished first, %d broken), "
            + "state %s, rerun %s, staging leftovers %d, %.0f s in all: %s%n",
        r.kills().size(), r.count("intact"), r.count("replaced"), r.count("finished"), r.kills().size() - r.count("intact") - r.count("replaced") - r.count("finished"),
        r.stateChecked() ? "checked" : "not in this build (no --state option)",
        r.rerun() == null ? "not run" : r.rerun().equal() ? "equal to the clean run" : "DIFFERENT", r.leftovers().size(),
        (System.nanoTime() - t0) / 1e9, r.passed() ? "PASS" : "FAIL");
    System.exit(r.passed() ? 0 : 1);
  }
}
