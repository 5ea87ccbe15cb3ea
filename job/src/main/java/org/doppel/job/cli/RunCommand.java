package org.doppel.job.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.job.DoppelJob;
import org.doppel.job.KeepPolicy;
import org.doppel.job.RunConfig;
import org.doppel.job.RunSummary;
import org.doppel.model.EmbedderConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code doppel run INPUT_DIR... --out REPORT_DIR}: the whole pipeline over some folders. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = DoppelCommand.Version.class,
    description = "Extract, embed and compare every file under the input folders; write duplicate reports.")
public final class RunCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "INPUT_DIR", description = "Folders to scan (recursively).")
  List<String> inputs = new ArrayList<>();

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "REPORT_DIR", description = "Report folder (replaced atomically).")
  Path out;

  @Option(names = {"-t", "--threshold"}, paramLabel = "T", description = "Cosine threshold for a semantic pair (0 < T <= 1; default ${DEFAULT-VALUE}).")
  double threshold = RunConfig.DEFAULT_THRESHOLD;

  @Option(names = "--model", paramLabel = "DIR", description = "Model folder (an .onnx file + tokenizer.json); default: the shipped bge-small-en-v1.5.")
  String model;

  @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark.master if set by spark-submit, else local[*]).")
  String master;

  @Option(names = "--exclude", paramLabel = "GLOB", description = "Skip files or folders whose relative path or name matches (repeatable).")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--keep", paramLabel = "POLICY", description = "Which copy a cluster keeps: largest (most text), oldest, first-path (default ${DEFAULT-VALUE}).")
  String keep = "largest";

  @Option(names = "--partitions", paramLabel = "N", description = "Spark partitions for extraction and embedding (default: 2 x cores).")
  int partitions;

  @Option(names = "--window-tokens", paramLabel = "N", description = "Tokens per model window, 0 = model maximum (default ${DEFAULT-VALUE}).")
  int windowTokens;

  @Option(names = "--overlap-tokens", paramLabel = "N", description = "Tokens shared by consecutive windows (default ${DEFAULT-VALUE}).")
  int overlapTokens = EmbedderConfig.defaults().overlapTokens();

  @Option(names = "--batch-size", paramLabel = "N", description = "Windows per forward pass (default ${DEFAULT-VALUE}).")
  int batchSize = EmbedderConfig.defaults().batchSize();

  @Option(names = "--threads", paramLabel = "N", description = "PyTorch threads per executor JVM, 0 = one per core (default ${DEFAULT-VALUE}: Spark runs one task per core).")
  int threads = RunConfig.DEFAULT_TORCH_THREADS;

  @Option(names = "--timeout-seconds", paramLabel = "S", description = "Per-file extraction time limit (default ${DEFAULT-VALUE}).")
  long timeoutSeconds = ExtractorConfig.defaults().timeoutMillis() / 1000;

  @Option(names = "--max-file-mb", paramLabel = "MB", description = "Files larger than this are reported too_large (default ${DEFAULT-VALUE}).")
  long maxFileMb = ExtractorConfig.defaults().maxFileBytes() >> 20;

  @Option(names = "--verbose", description = "Stack traces on errors and Spark's own logging.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    String problem = validate();
    if (problem != null) {
      spec.commandLine().getErr().println("doppel: " + problem);
      spec.commandLine().getErr().flush();
      return DoppelCommand.USAGE;
    }
    PrintStream err = System.err;
    EmbedderConfig d = EmbedderConfig.defaults();
    RunConfig cfg = new RunConfig(List.copyOf(inputs), out, threshold, List.copyOf(excludes), KeepPolicy.parse(keep),
        master, new ExtractorConfig(maxFileMb << 20, timeoutSeconds * 1000, ExtractorConfig.defaults().maxChars()),
        new EmbedderConfig(model, windowTokens, overlapTokens, batchSize, threads, d.pooling()), partitions, 1024);
    if (verbose) System.setProperty("doppel.log.level", "info");
    try (SparkSession spark = SparkSessions.create(master, "doppel")) {
      RunSummary summary = DoppelJob.run(spark, cfg, err);
      summary.print(err);
    }
    return DoppelCommand.OK;
  }

  /** Returns one line saying what is wrong with the arguments, or null. */
  private String validate() {
    for (String in : inputs) {
      if (!Files.isDirectory(Path.of(in))) return "input folder not found: " + in;
    }
    if (!(threshold > 0 && threshold <= 1)) return "--threshold must be in (0, 1], got " + threshold;
    try {
      KeepPolicy.parse(keep);
    } catch (IllegalArgumentException e) {
      return "--keep: " + e.getMessage();
    }
    if (model != null && !Files.isDirectory(Path.of(model))) return "model folder not found: " + model;
    if (windowTokens < 0 || overlapTokens < 0 || batchSize < 1 || threads < 0 || timeoutSeconds < 1 || maxFileMb < 1) {
      return "numeric options must be positive (--batch-size, --timeout-seconds, --max-file-mb >= 1)";
    }
    Path target = out.toAbsolutePath().normalize();
    if (Files.exists(target) && !Files.isDirectory(target)) return "cannot write report: " + out + " is a file";
    Path parent = target.getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException | SecurityException e) {
      return "cannot write report: cannot create " + parent;
    }
    if (!Files.isWritable(parent)) return "cannot write report: " + parent + " is not writable";
    return null;
  }
}
