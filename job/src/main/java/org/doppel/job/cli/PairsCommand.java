package org.doppel.job.cli;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.doppel.job.PairsJob;
import org.doppel.job.RunConfig;
import org.doppel.job.cluster.KeepPolicy;
import org.doppel.job.output.OutputFolder;
import org.doppel.job.output.OutputPaths;
import org.doppel.model.ComputeDevice;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code doppel pairs --vectors PATH --out DIR}: candidates, decision and clusters over precomputed vectors. */
@Command(name = "pairs", mixinStandardHelpOptions = true, versionProvider = DoppelCommand.Version.class,
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {DoppelCommand.EXIT_OK, DoppelCommand.EXIT_FATAL,
        DoppelCommand.EXIT_USAGE, DoppelCommand.EXIT_BUSY},
    description = {"Find near-duplicate pairs and clusters among vectors computed elsewhere: the document_vectors.parquet "
        + "that `doppel embed` writes, or any Parquet with an id column and a float array column. Without texts the "
        + "evidence is the cosine alone: a pair is reported at cosine >= --threshold.",
        "Example: doppel pairs --vectors emb/document_vectors.parquet --out pairs-report --threshold 0.95"})
public final class PairsCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--vectors", required = true, paramLabel = "PATH", description = "Parquet file or folder of vectors (or a `doppel embed` output folder: its document_vectors.parquet is read).")
  String vectors;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT_DIR", description = "Output folder (replaced atomically; new, empty or written by Doppel): a local path or a Hadoop URI.")
  String out;

  @Option(names = "--id-column", paramLabel = "C", description = "Column with each vector's id (default ${DEFAULT-VALUE}).")
  String idColumn = "doc_id";

  @Option(names = "--vector-column", paramLabel = "C", description = "Column with the vector, an array of floats or doubles (default ${DEFAULT-VALUE}).")
  String vectorColumn = "vector";

  @Option(names = "--path-column", paramLabel = "C", description = "Column with a path or name shown in the reports (default: path when the data has it, else the id).")
  String pathColumn;

  @Option(names = {"-t", "--threshold"}, paramLabel = "T", description = "Cosine at or above which a pair is reported (default: the shipped decision's semanticStrong bound, ${sys:doppel.semantic.strong}: the cosine above which 99%% of its fit's candidate pairs were duplicates).")
  Double threshold;

  @Mixin
  SearchOptions searchOptions;

  @Option(names = "--device", paramLabel = "DEVICE", description = "Where the cosine tiles run: auto (an executor's CUDA GPU when PyTorch reports one: float16 products, float32 rescoring), cpu, or gpu (a usage error when there is none) (default ${DEFAULT-VALUE}).")
  String device = "auto";

  @Mixin
  SparkOptions spark;

  @Option(names = "--partitions", paramLabel = "N", description = "Spark partitions (default: 2 x cores).")
  int partitions;

  @Option(names = "--config", paramLabel = "FILE", description = "Option values from a properties file (as for run).")
  Path config;


  static {
    System.setProperty("doppel.semantic.strong", String.valueOf(RunConfig.DEFAULT_DECISION.semanticStrong()));
  }

  @Override
  public Integer call() throws IOException {
    Location given = Location.of(vectors);
    Location source = given.isDirectory() && given.resolve("document_vectors.parquet").isDirectory()
        ? given.resolve("document_vectors.parquet") : given;
    String problem = problem(source);
    if (problem != null) return DoppelCommand.usageError(spec, problem);
    double t = threshold != null ? threshold : RunConfig.DEFAULT_DECISION.semanticStrong();
    RunConfig cfg = RunConfig.builder(List.of(source.toString()), out).threshold(t).keep(KeepPolicy.FIRST_PATH)
        .master(spark.master).extractor(null).embedder(null).partitions(partitions)
        .options(DoppelCommand.effectiveOptions(spec)).htmlPairs(0)
        .search(searchOptions.search().withDevice(ComputeDevice.fromLabel(device))).build();
    PairsJob.Source src = new PairsJob.Source(source.uri(), idColumn, vectorColumn, pathColumn);
    return DoppelCommand.withSpark(spec, out, null, spark, session -> {
      String col = pathColumn;
      if (col == null && List.of(session.read().parquet(src.path()).columns()).contains("path")) col = "path";
      return PairsJob.run(session, cfg, new PairsJob.Source(src.path(), idColumn, vectorColumn, col), System.err);
    });
  }

  private String problem(Location source) throws IOException {
    if (!source.exists()) return "--vectors not found: " + vectors;
    String sparkProblem = spark.problem();
    if (sparkProblem != null) return sparkProblem;
    if (threshold != null && !(threshold > -1 && threshold <= 1)) return "--threshold must be in (-1, 1], got " + threshold;
    String searchProblem = searchOptions.problem();
    if (searchProblem != null) return searchProblem;
    String deviceProblem = CorpusOptions.deviceProblem(device, spark);
    if (deviceProblem != null) return deviceProblem;
    String overlap = OutputPaths.problem(List.of(new OutputPaths.Given("--vectors", vectors)),
        List.of(new OutputPaths.Given("--out", out)));
    if (overlap != null) return overlap;
    return OutputFolder.problem(Location.of(out), OutputFolder.Kind.REPORT, "--out");
  }
}
