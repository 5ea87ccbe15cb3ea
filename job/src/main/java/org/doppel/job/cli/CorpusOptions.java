package org.doppel.job.cli;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.job.RunConfig;
import org.doppel.job.corpus.FileLists;
import org.doppel.job.data.Input;
import org.doppel.job.output.OutputFolder;
import org.doppel.job.output.OutputPaths;
import org.doppel.model.ChunkedEmbedder;
import org.doppel.model.ComputeDevice;
import org.doppel.model.EmbedderConfig;
import org.doppel.model.GpuProbe;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options every command that reads folders and embeds them shares (a picocli mixin). */
public final class CorpusOptions {
  @Parameters(arity = "0..*", paramLabel = "INPUT_DIR", description = "Folders to scan (recursively), each PATH or NAME=PATH; a path is local or any Hadoop FileSystem URI (hdfs://, s3a://, abfs://, ...). A document's id is a hash of its folder's name (NAME, or the folder's last path component) and its path there, so ids stay the same whatever the folder's spelling, order or the number of inputs; name a folder to keep ids and paths when it moves.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--files-from", paramLabel = "FILE", description = "Also read the files listed in FILE, one path or URI a line (local, file:, hdfs://, s3a://, ...; FILE may be a URI too; - = standard input; blank lines and # comments skipped), wherever they are; a listed file inside an input folder is read once. Its path column is its absolute path. Example: find /data -name '*.pdf' -mtime -1 | doppel run --files-from - --out report")
  List<String> fileLists = new ArrayList<>();

  /** The files --files-from lists, read by {@link #problem} (standard input can be read once). */
  List<String> listedFiles = List.of();

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT_DIR", description = "Output folder (replaced whole; atomically on a local disk and HDFS, see README for object stores): a local path or a Hadoop URI.")
  String out;

  @Option(names = "--model", paramLabel = "DIR", description = "Model folder: Hugging Face layout (config.json, tokenizer.json, model.safetensors or shards; bert, xlm-roberta, JinaBERT) or an .onnx file + tokenizer.json; default: the shipped bge-small-en-v1.5.")
  String model;

  @Mixin
  SparkOptions spark;

  @Mixin
  TextTableOptions tables;

  @Option(names = "--exclude", split = ",", paramLabel = "GLOB", description = "Skip files or folders whose relative path or name matches (repeatable, or comma-separated).")
  List<String> excludes = new ArrayList<>();

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

  @Option(names = "--device", paramLabel = "DEVICE", description = "Where the model and the pair search's cosine tiles run: auto (a CUDA GPU when PyTorch reports one, else the CPU), cpu, or gpu (float16, batches sized from free GPU memory; a usage error when there is none) (default ${DEFAULT-VALUE}).")
  String device = "auto";

  @Option(names = "--timeout-seconds", paramLabel = "S", description = "Per-file extraction time limit (default ${DEFAULT-VALUE}).")
  long timeoutSeconds = ExtractorConfig.defaults().timeoutMillis() / 1000;

  @Option(names = "--max-file-mb", paramLabel = "MB", description = "Files larger than this are reported too_large (default ${DEFAULT-VALUE}).")
  long maxFileMb = ExtractorConfig.defaults().maxFileBytes() >> 20;

  @Option(names = "--ocr", paramLabel = "MODE", description = "Tesseract OCR: auto (images and PDF pages without a text layer), on (every page), off (default ${DEFAULT-VALUE}).")
  String ocr = "auto";

  @Option(names = "--isolation", paramLabel = "MODE", description = "Where parsers run: process (child JVMs, killed on timeout or out of memory) or thread (default ${DEFAULT-VALUE}).")
  String isolation = "process";

  @Option(names = "--worker-heap-mb", paramLabel = "MB", description = "Heap of each extraction child JVM (default ${DEFAULT-VALUE}).")
  int workerHeapMb = ExtractorConfig.DEFAULT_WORKER_HEAP_MB;

  @Option(names = "--max-depth", paramLabel = "N", description = "Archive entries and e-mail attachments become documents of their own (path container!/entry) down to N nesting levels; 0 = a container is one document with all its text (default ${DEFAULT-VALUE}).")
  int maxDepth = ExtractorConfig.DEFAULT_MAX_DEPTH;

  @Option(names = "--max-embedded", paramLabel = "N", description = "Most embedded documents extracted from one input file, all levels together; beyond it the containers being read are too_large (default ${DEFAULT-VALUE}).")
  int maxEmbedded = ExtractorConfig.DEFAULT_MAX_EMBEDDED;

  @Option(names = "--max-expanded-mb", paramLabel = "MB", description = "Most MB of embedded documents read from one input file, all levels together; beyond it the containers being read are too_large; 0 = 10 x --max-file-mb (default ${DEFAULT-VALUE}).")
  long maxExpandedMb;

  @Option(names = "--config", paramLabel = "FILE", description = "Option values from a properties file (key = long option name without dashes; also DOPPEL_CONFIG). Environment DOPPEL_<OPTION> overrides the file; the command line overrides both.")
  Path config;


  ExtractorConfig extractor() {
    return new ExtractorConfig(maxFileMb << 20, timeoutSeconds * 1000, ExtractorConfig.defaults().maxChars(),
        ExtractorConfig.Isolation.fromLabel(isolation), workerHeapMb, 0, ExtractorConfig.OcrMode.fromLabel(ocr),
        maxDepth, maxEmbedded, maxExpandedMb << 20);
  }

  EmbedderConfig embedder() {
    return new EmbedderConfig(model, windowTokens, overlapTokens, batchSize, threads, EmbedderConfig.defaults().pooling(),
        ComputeDevice.fromLabel(device));
  }

  /**
   * One line saying what is wrong with these options, or null. Every path is checked against every other
   * ({@link OutputPaths}) and the outputs against what they hold ({@link OutputFolder}) before any work starts.
   *
   * @param state the command's --state folder, or null
   */
  String problem(String state) {
    String sparkProblem = spark.problem();
    if (sparkProblem != null) return sparkProblem;
    List<Input> parsed = new ArrayList<>();
    try {
      for (String in : inputs) parsed.add(Input.parse(in));
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    for (Input in : parsed) {
      try {
        if (!Location.of(in.location()).isDirectory()) return "input folder not found: " + in.location();
      } catch (IOException | RuntimeException e) {
        return "input folder " + in.location() + " cannot be read: " + DoppelCommand.oneLine(e);
      }
    }
    if (parsed.isEmpty() && fileLists.isEmpty() && !tables.given()) {
      return "give at least one INPUT_DIR, --files-from FILE or --text-table PATH";
    }
    try {
      listedFiles = FileLists.read(fileLists, System.in);
    } catch (IllegalArgumentException | IOException e) {
      return e.getMessage();
    }
    List<OutputPaths.Given> outputs = List.of(new OutputPaths.Given("--out", out),
        new OutputPaths.Given("--state", state));
    String listedOverlap = OutputPaths.listedFilesProblem(listedFiles, outputs);
    if (listedOverlap != null) return listedOverlap;
    String overlap = OutputPaths.problem(OutputPaths.inputs(parsed.stream().map(Input::location).toList()), outputs);
    if (overlap != null) return overlap;
    try {
      Input.requireDistinctNames(parsed); // after the overlap check, which says more of the same folder given twice
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    String tableProblem = tables.problem(parsed, !fileLists.isEmpty(), outputs);
    if (tableProblem != null) return tableProblem;
    if (model != null && !Files.isDirectory(Path.of(model))) return "model folder not found: " + model;
    String modelProblem = ChunkedEmbedder.modelProblem(model);
    if (modelProblem != null) return "--model: " + modelProblem;
    if (!List.of("auto", "on", "off").contains(ocr)) return "--ocr must be auto, on or off, got " + ocr;
    if (!List.of("process", "thread").contains(isolation)) return "--isolation must be process or thread, got " + isolation;
    if (workerHeapMb < 64) return "--worker-heap-mb must be at least 64";
    String badDevice = badDevice(device);
    if (badDevice != null) return badDevice;
    if (maxDepth < 0 || maxEmbedded < 1 || maxExpandedMb < 0) {
      return "--max-depth and --max-expanded-mb must be >= 0, --max-embedded >= 1";
    }
    if (windowTokens < 0 || overlapTokens < 0 || batchSize < 1 || threads < 0 || timeoutSeconds < 1 || maxFileMb < 1) {
      return "numeric options must be positive (--batch-size, --timeout-seconds, --max-file-mb >= 1)";
    }
    Location report = Location.of(out);
    if (report.localPath() != null) {
      Path target = report.localPath().toAbsolutePath().normalize();
      if (Files.exists(target) && !Files.isDirectory(target)) return "cannot write report: " + out + " is a file";
      Path parent = target.getParent();
      try {
        Files.createDirectories(parent);
      } catch (IOException | SecurityException e) {
        return "cannot write report: cannot create " + parent;
      }
      if (!Files.isWritable(parent)) return "cannot write report: " + parent + " is not writable";
    }
    String replace = OutputFolder.problem(report, OutputFolder.Kind.REPORT, "--out");
    if (replace != null) return replace;
    return deviceProblem(device, spark);
  }

  /** A --device value that is not auto, cpu or gpu, in one line, or null (checked before anything is created). */
  static String badDevice(String device) {
    return List.of("auto", "cpu", "gpu").contains(device) ? null : "--device must be auto, cpu or gpu, got " + device;
  }

  /**
   * {@code --device gpu} without a usable GPU, in one line, or null. A local run embeds and scores in this JVM, so a
   * missing GPU is known now (a cluster's executors say so themselves).
   */
  static String deviceProblem(String device, SparkOptions spark) {
    String bad = badDevice(device);
    if (bad != null) return bad;
    String m = spark.master != null ? spark.master : System.getProperty("spark.master", "local[*]");
    String gpu = m.startsWith("local") ? GpuProbe.problem(ComputeDevice.fromLabel(device)) : null;
    return gpu != null ? "--device gpu: " + gpu : null;
  }
}
