package org.doppel.job.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.doppel.job.DoppelJob;
import org.doppel.job.KeepPolicy;
import org.doppel.job.RunConfig;
import org.doppel.job.state.StateStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code doppel run INPUT_DIR... --out REPORT_DIR}: the whole pipeline over some folders. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = DoppelCommand.Version.class,
    description = "Extract, embed and compare every file under the input folders; write duplicate reports.")
public final class RunCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CorpusOptions corpus;

  @Option(names = {"-t", "--threshold"}, paramLabel = "T", description = "Cosine threshold for a semantic pair (0 < T <= 1; default ${DEFAULT-VALUE}).")
  double threshold = RunConfig.DEFAULT_THRESHOLD;

  @Option(names = "--keep", paramLabel = "POLICY", description = "Which copy a cluster keeps: largest (most text), oldest, first-path (default ${DEFAULT-VALUE}).")
  String keep = "largest";

  @Option(names = "--state", paramLabel = "STATE_DIR", description = "Incremental runs: reuse what the previous run with this folder extracted and embedded (only new and changed files are processed; pairs are recomputed over all), then store this run's state there.")
  Path state;

  @Override
  public Integer call() throws IOException {
    String problem = problem();
    if (problem != null) return DoppelCommand.usageError(spec, problem);
    RunConfig cfg = new RunConfig(List.copyOf(corpus.inputs), corpus.out, threshold, List.copyOf(corpus.excludes),
        KeepPolicy.parse(keep), corpus.master, corpus.extractor(), corpus.embedder(), corpus.partitions, 1024, DoppelCommand.effectiveOptions(spec));
    return DoppelCommand.withSpark(corpus, spark -> DoppelJob.run(spark, cfg, state, System.err));
  }

  private String problem() {
    if (!(threshold > 0 && threshold <= 1)) return "--threshold must be in (0, 1], got " + threshold;
    try {
      KeepPolicy.parse(keep);
    } catch (IllegalArgumentException e) {
      return "--keep: " + e.getMessage();
    }
    if (state != null) {
      if (state.toAbsolutePath().normalize().equals(corpus.out.toAbsolutePath().normalize())) {
        return "--state and --out must be different folders";
      }
      for (String in : corpus.inputs) {
        if (state.toAbsolutePath().normalize().startsWith(Path.of(in).toAbsolutePath().normalize())) {
          return "--state " + state + " is inside the input folder " + in + " (its files would be read as documents)";
        }
      }
      String stateProblem = StateStore.problem(state);
      if (stateProblem != null) return stateProblem;
    }
    return corpus.problem();
  }
}
