package org.doppel.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.doppel.job.cli.DoppelCommand;
import org.doppel.job.cli.Main;

/**
 * SIGKILL drill on a real {@code doppel run} (a child JVM): a clean run makes the reference report, then each
 * kill starts a run over the same input and kills it at a seeded random moment: odd kills anywhere between JVM
 * start and the summary, even kills within report writing and the swap (a moment is a stage of the clean run
 * plus an offset into it, so runs slower or faster than the clean one are still hit in that stage). After each kill the report folder (and the --state folder, when the CLI has that option) must be
 * byte-identical to before and readable, or, if the kill came after the swap, a whole report equal to the
 * reference. Extraction child processes of the killed JVM must go away. A final rerun must complete and equal
 * the reference, leaving no staging folders behind. Shared by CrashSafetyTest (3 kills) and scripts/crash-test
 * ({@code --kills N --seed S}; exit 0 when everything held).
 */
final class CrashDrill {
  static final List<String> STAGES = List.of("list", "extract", "embed", "pairs", "clusters", "write");
  /** The line a stage prints when it ends, e.g. "embed    28 texts in 157.2 s, 0.2 texts/s". */
  static final Pattern STAGE_DONE = Pattern.compile("^(" + String.join("|", STAGES) + ")\\s+\\d+ .* in [0-9.]+ s.*");

  /** What one kill found. */
  record Kill(int n, String aim, long atMs, String stage, String outcome, long orphans) {}

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
    Files.createDirectories(work);
    Path out = work.resolve("report");
    Path state = work.resolve("state");
    Path reference = work.resolve("reference");
    List<String> failures = new ArrayList<>();
    long t0 = System.nanoTime();
    int first = runDoppel(out, work.resolve("run-clean.log"));
    double cleanSeconds = (System.nanoTime() - t0) / 1e9;
    if (first != 0) {
      failures.add("clean run exited " + first + " (see " + work.resolve("run-clean.log") + ")");
      return new Result(cleanSeconds, List.of(), useState, null, List.of(), failures);
    }
    TestCorpora.copyTree(out, reference);
    log.printf(Locale.ROOT, "clean run: %.1f s%s%n", cleanSeconds, useState ? " (with --state " + state + ")" : "");
    Path timed = work.resolve("run-clean.log");
    if (useState) {
      // later runs reuse the state and are shorter: aim the kills at such a run
      timed = work.resolve("run-warm.log");
      int warm = runDoppel(out, timed);
      if (warm != 0) failures.add("run with a warm state exited " + warm);
    }
    List<Segment> segments = segments(timed);
    Segment writing = writing(segments);
    log.println("stages of the timed run: " + segments.stream()
        .map(g -> String.format(Locale.ROOT, "%s %.1f s", g.stage(), g.lengthMs() / 1e3)).toList());

    // Odd kills at a moment drawn uniformly over the whole timed run; even ones within report writing and the
    // swap, where a kill could do the most harm and which uniform moments would seldom hit. A moment is a
    // stage plus an offset into it, so a run that goes faster or slower than the timed one is still hit there.
    Random rnd = new Random(seed);
    List<Kill> done = new ArrayList<>();
    Map<String, String> before = snapshot(out);
    Map<String, String> stateBefore = useState ? snapshot(state) : Map.of();
    for (int n = 1; n <= kills; n++) {
      Segment aim = n % 2 == 1 ? pick(segments, rnd) : writing;
      long offsetMs = (long) (rnd.nextDouble() * aim.lengthMs());
      Path runLog = work.resolve("run-kill-" + n + ".log");
      Child run = startDoppel(out, runLog);
      Process child = run.process();
      boolean exited = !run.awaitStageDone(aim.after()) || child.waitFor(offsetMs, TimeUnit.MILLISECONDS);
      long atMs = run.elapsedMs();
      List<ProcessHandle> descendants = child.descendants().toList();
      if (!exited) {
        child.destroyForcibly(); // SIGKILL
        child.waitFor();
      }
      run.output().join(10_000);
      long orphans = awaitGone(descendants, 60);
      String stage = lastStage(runLog);
      String outcome;
      Map<String, String> after = snapshot(out);
      Map<String, String> stateAfter = useState ? snapshot(state) : Map.of();
      ReportDiff.Result vsReference = ReportDiff.compare(reference, out);
      if (exited) {
        outcome = child.exitValue() == 0 ? "finished" : "failed";
      } else if (after.equals(before)) {
        outcome = "intact";
      } else {
        outcome = "replaced"; // killed after the swap, before the JVM exited
      }
      String where = String.format(Locale.ROOT, "kill %d at %.1f s (%s)", n, atMs / 1e3, stage);
      if (!vsReference.equal() || outcome.equals("failed")) {
        failures.add(where + ": report " + outcome + " but not a whole report equal to the clean run: "
            + vsReference.differences().stream().limit(3).toList());
        outcome = "BROKEN";
      } else if (outcome.equals("intact") && !stateAfter.equals(stateBefore)) {
        failures.add(where + ": the report was kept but the state folder changed");
        outcome = "BROKEN-state";
      }
      if (orphans > 0) failures.add(where + ": " + orphans + " child processes still alive 60 s after the kill");
      done.add(new Kill(n, aim.stage() + "+" + offsetMs + "ms", atMs, stage, outcome, orphans));
      log.printf(Locale.ROOT, "kill %2d aimed at %-8s + %5.1f s: at %6.1f s in %-8s -> %s%s%n", n, aim.stage(), offsetMs / 1e3,
          atMs / 1e3, stage, outcome, orphans > 0 ? " (" + orphans + " orphans)" : "");
      before = after;
      stateBefore = stateAfter;
    }

    int last = runDoppel(out, work.resolve("run-rerun.log"));
    ReportDiff.Result rerun = ReportDiff.compare(reference, out);
    if (last != 0) failures.add("rerun exited " + last);
    if (!rerun.equal()) failures.add("rerun differs from the clean run: " + rerun.differences().stream().limit(5).toList());
    List<String> leftovers;
    try (Stream<Path> s = Files.list(out.getParent())) {
      leftovers = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".report.") && !n.equals(".report.lock")).sorted().toList();
    }
    if (!leftovers.isEmpty()) failures.add("staging folders left after the rerun: " + leftovers);
    return new Result(cleanSeconds, done, useState, rerun, leftovers, failures);
  }

  /** A started run, its output lines as they come (also copied, time-stamped, into its log) and their copier. */
  private record Child(Process process, long startNanos, List<String> lines, Thread output) {
    long elapsedMs() {
      return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Waits until the run prints the line that ends {@code stage} ("" = at once); false if it exited first. */
    boolean awaitStageDone(String stage) throws InterruptedException {
      while (!stage.isEmpty()) {
        for (String line : lines) {
          Matcher m = STAGE_DONE.matcher(line);
          if (m.matches() && m.group(1).equals(stage)) return true;
        }
        if (!process.isAlive()) return false;
        Thread.sleep(10);
      }
      return true;
    }
  }

  private Child startDoppel(Path out, Path runLog) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    cmd.addAll(List.of(System.getProperty("doppel.jvm.opens", "").split(" ")).stream().filter(s -> !s.isBlank()).toList());
    cmd.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), "org.doppel.job.cli.Main",
        "run", docs.toString(), "--out", out.toString()));
    if (useState) cmd.addAll(List.of("--state", work.resolve("state").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    long start = System.nanoTime();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread copier = new Thread(() -> {
      try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
           var w = Files.newBufferedWriter(runLog, StandardCharsets.UTF_8)) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
          w.write("+" + (System.nanoTime() - start) / 1_000_000 + "ms " + line + "\n");
          w.flush();
        }
      } catch (IOException ignored) {
        // the child is gone
      }
    }, "crash-drill-output");
    copier.setDaemon(true);
    copier.start();
    return new Child(p, start, lines, copier);
  }

  /** Runs doppel to the end; its exit code (124 if it had to be stopped after 20 minutes). */
  private int runDoppel(Path out, Path runLog) throws Exception {
    Child run = startDoppel(out, runLog);
    Process p = run.process();
    if (!p.waitFor(20, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return 124;
    }
    run.output().join(10_000);
    return p.exitValue();
  }

  /** Waits up to {@code seconds} for processes to exit; how many are still alive. */
  private static long awaitGone(List<ProcessHandle> procs, int seconds) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < until && procs.stream().anyMatch(ProcessHandle::isAlive)) Thread.sleep(100);
    return procs.stream().filter(ProcessHandle::isAlive).count();
  }

  /** The stage a run was in when it ended: the one after its last finished stage ("swap" after write, "exit" after the summary). */
  private static String lastStage(Path runLog) throws IOException {
    List<String> order = new ArrayList<>(STAGES);
    order.add("swap");
    String stage = order.get(0);
    for (String[] line : stampedLines(runLog)) {
      Matcher m = STAGE_DONE.matcher(line[1]);
      if (m.matches()) stage = order.get(order.indexOf(m.group(1)) + 1);
      if (line[1].startsWith("done:")) stage = "exit";
    }
    return stage;
  }

  /** A stretch of a run: from the line that ends stage {@code after} ("" = the JVM start) to the end of {@code stage}. */
  record Segment(String after, String stage, long lengthMs) {}

  /** A run's stages with their lengths, from its time-stamped log; the last one ("swap") ends at the summary. */
  static List<Segment> segments(Path runLog) throws IOException {
    List<Segment> out = new ArrayList<>();
    String previous = "";
    long previousMs = 0;
    for (String[] line : stampedLines(runLog)) {
      long ms = Long.parseLong(line[0]);
      Matcher m = STAGE_DONE.matcher(line[1]);
      if (m.matches() || line[1].startsWith("done:")) {
        String stage = m.matches() ? m.group(1) : "swap";
        out.add(new Segment(previous, stage, Math.max(1, ms - previousMs)));
        previous = stage;
        previousMs = ms;
      }
    }
    if (out.isEmpty()) throw new IllegalStateException("no stage lines in " + runLog);
    return out;
  }

  /** Report writing and the swap: from the end of the clusters stage to the summary. */
  private static Segment writing(List<Segment> segments) {
    long ms = segments.stream().dropWhile(g -> !g.after().equals("clusters")).mapToLong(Segment::lengthMs).sum();
    return new Segment("clusters", "write", Math.max(1, ms));
  }

  /** A segment drawn with probability proportional to its length (a uniform moment of the whole run). */
  private static Segment pick(List<Segment> segments, Random rnd) {
    long total = segments.stream().mapToLong(Segment::lengthMs).sum();
    long x = (long) (rnd.nextDouble() * total);
    for (Segment g : segments) {
      if (x < g.lengthMs()) return g;
      x -= g.lengthMs();
    }
    return segments.get(segments.size() - 1);
  }

  /** A run log's lines as {milliseconds, text}. */
  private static List<String[]> stampedLines(Path runLog) throws IOException {
    List<String[]> out = new ArrayList<>();
    if (!Files.exists(runLog)) return out;
    for (String line : Files.readAllLines(runLog, StandardCharsets.UTF_8)) {
      int ms = line.indexOf("ms ");
      if (line.startsWith("+") && ms > 0) out.add(new String[] {line.substring(1, ms), line.substring(ms + 3)});
    }
    return out;
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
