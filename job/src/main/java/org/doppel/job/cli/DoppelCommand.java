package org.doppel.job.cli;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.Progress;
import org.doppel.job.RunSummary;
import org.doppel.job.exec.SparkSessions;
import org.doppel.job.output.RunLock;
import org.doppel.job.output.Versions;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine;

/**
 * {@code doppel}: the front door. Exit codes: 0 done, 1 fatal error, 2 usage error (nothing was done), 4 an output
 * folder is in use by another run (nothing was done).
 */
@Command(name = "doppel", mixinStandardHelpOptions = true, versionProvider = DoppelCommand.Version.class,
    description = "Finds semantic near-duplicate documents in folders (Tika + DJL/PyTorch BERT + Spark).",
    subcommands = {RunCommand.class, EmbedCommand.class, PairsCommand.class, RethresholdCommand.class, EvalCommand.class})
public final class DoppelCommand implements Runnable {
  public static final int OK = 0;
  public static final int FATAL = 1;
  public static final int USAGE = 2;
  /** The run succeeded and found pairs its previous run had not reported (only with --exit-code-on new-pairs). */
  public static final int NEW_PAIRS = 3;
  /** Another run holds the lock of --out or --state: nothing was done, try again later. */
  public static final int BUSY = 4;
  static final String EXIT_OK = "0:done (unreadable files are rows of the report, not failures)";
  static final String EXIT_FATAL = "1:the run failed (one line; stack trace with --verbose); the previous report is kept";
  static final String EXIT_USAGE = "2:usage error: bad option, unusable model, or an output that would overlap an input "
      + "or replace a folder Doppel did not write; nothing was done";
  static final String EXIT_NEW_PAIRS = "3:done, and with --exit-code-on new-pairs: the report has pairs the previous run "
      + "did not (changes.csv)";
  static final String EXIT_BUSY = "4:--out or --state is in use by another Doppel run (named); nothing was done";

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: doppel run INPUT_DIR... --out REPORT_DIR)");
  }

  /** Parses and runs, with option defaults from --config FILE / DOPPEL_CONFIG and DOPPEL_* variables. */
  public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    Path file = ConfigDefaults.configFile(args, env);
    String problem = null;
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    if (file != null && !Files.isRegularFile(file)) problem = "config file not found: " + file;
    try {
      if (problem == null) {
        ConfigDefaults defaults = new ConfigDefaults(file, env);
        List<String> unknown = defaults.unknownKeys(cl);
        List<String> unknownEnv = defaults.unknownVariables(cl);
        if (!unknown.isEmpty()) problem = "config file " + file + " names no option: " + String.join(", ", unknown);
        else if (!unknownEnv.isEmpty()) {
          problem = "environment variable " + String.join(", ", unknownEnv) + " names no option (an option --long-name is "
              + "set as DOPPEL_LONG_NAME, e.g. DOPPEL_MAX_FILE_MB)";
        } else cl.setDefaultValueProvider(defaults);
      }
    } catch (IOException | IllegalArgumentException e) {
      problem = "cannot read config file " + file + ": " + e.getMessage();
    }
    if (problem != null) {
      err.println("doppel: " + problem);
      err.flush();
      return USAGE;
    }
    return cl.execute(args);
  }

  /** Every option's effective value, plus where values not given on the command line came from. */
  static Map<String, String> effectiveOptions(CommandLine.Model.CommandSpec spec) {
    Map<String, String> out = new TreeMap<>();
    for (CommandLine.Model.OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp()) continue;
      Object v = o.getValue();
      out.put(ConfigDefaults.key(o), v == null ? null : String.valueOf(v));
    }
    if (spec.defaultValueProvider() instanceof ConfigDefaults d) {
      if (d.source() != null) out.put("(config file)", d.source());
      if (!d.supplied().isEmpty()) out.put("(from file or environment)", String.join(",", d.supplied().keySet()));
    }
    return out;
  }

  /** The configured command line: one-line messages for usage errors and failures, stack traces only with --verbose. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new DoppelCommand());
    cl.setParameterExceptionHandler((ex, args) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("doppel: " + ex.getMessage() + " (see: doppel " + subcommandName(ex.getCommandLine()) + "--help)");
      err.flush();
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, command, parsed) -> {
      PrintWriter err = command.getErr();
      err.println("doppel: error: " + oneLine(ex));
      if (parsed.hasMatchedOption("--verbose")) ex.printStackTrace(err);
      err.flush();
      return FATAL;
    });
    return cl;
  }

  /** A job body that needs a Spark session. */
  interface SparkWork {
    RunSummary run(SparkSession spark) throws IOException;
  }

  /** Prints one usage line and returns the usage exit code. */
  static int usageError(CommandLine.Model.CommandSpec spec, String problem) {
    spec.commandLine().getErr().println("doppel: " + problem);
    spec.commandLine().getErr().flush();
    return USAGE;
  }

  /**
   * Runs a job in a Spark session made from the shared options, holding the lock of each output folder for the whole
   * run; prints its summary and returns exit 0, or {@link #BUSY} with one line when another run holds a lock.
   *
   * @param state the --state folder, or null
   */
  static int withSpark(CommandLine.Model.CommandSpec spec, CorpusOptions options, String state, SparkWork work)
      throws IOException {
    return withSpark(spec, options.out, state, options.spark, work);
  }

  /** {@link #withSpark(CommandLine.Model.CommandSpec, CorpusOptions, String, SparkWork)} for commands without a corpus. */
  static int withSpark(CommandLine.Model.CommandSpec spec, String out, String state, SparkOptions options, SparkWork work)
      throws IOException {
    if (options.verbose) System.setProperty("doppel.log.level", "info");
    System.setProperty(Progress.FORMAT_PROPERTY, options.progress);
    List<RunLock> locks = new ArrayList<>();
    try {
      locks.add(RunLock.acquire(Location.of(out), "--out", System.err));
      if (state != null) locks.add(RunLock.acquire(Location.of(state), "--state", System.err));
      try (SparkSession spark = SparkSessions.create(options.master, "doppel", options.sparkUi)) {
        work.run(spark).print(System.err);
      }
      return OK;
    } catch (RunLock.Busy e) {
      spec.commandLine().getErr().println("doppel: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return BUSY;
    } finally {
      for (int i = locks.size() - 1; i >= 0; i--) locks.get(i).close();
    }
  }

  private static String subcommandName(CommandLine cl) {
    return cl.getParent() == null ? "" : cl.getCommandName() + " ";
  }

  static String oneLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String msg = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    if (root != t && root.getMessage() != null && !msg.contains(root.getMessage())) msg += ": " + root.getMessage();
    return msg.replace('\n', ' ');
  }

  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties v = Versions.get();
      return new String[] {"doppel " + v.getProperty("doppel", "dev") + " (Spark " + v.getProperty("spark", "?")
          + ", Tika " + v.getProperty("tika", "?") + ", DJL " + v.getProperty("djl", "?") + ", PyTorch "
          + v.getProperty("pytorch", "?") + ")"};
    }
  }
}
