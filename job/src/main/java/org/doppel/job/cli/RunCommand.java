package org.doppel.job.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.doppel.job.DoppelJob;
import org.doppel.job.KeepPolicy;
import org.doppel.job.PairSearch;
import org.doppel.job.RunConfig;
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

  @Option(names = "--search", paramLabel = "MODE", description = "Candidate pair search: exact (every pair), blocked (k-means blocks, for very large sets) or auto (exact up to --blocked-above texts; default ${DEFAULT-VALUE}).")
  String search = "auto";

  @Option(names = "--blocked-above", paramLabel = "N", description = "With --search auto, distinct texts above which the search is blocked (default ${DEFAULT-VALUE}).")
  int blockedAbove = PairSearch.DEFAULT_BLOCKED_ABOVE;

  @Option(names = "--probes", paramLabel = "M", description = "Blocked search: k-means blocks each text joins, so pairs near a block border still meet (default ${DEFAULT-VALUE}).")
  int probes = PairSearch.DEFAULT_PROBES;

  @Override
  public Integer call() throws IOException {
    String problem = problem();
    if (problem != null) return DoppelCommand.usageError(spec, problem);
    RunConfig cfg = new RunConfig(List.copyOf(corpus.inputs), corpus.out, threshold, List.copyOf(corpus.excludes),
        KeepPolicy.parse(keep), corpus.master, corpus.extractor(), corpus.embedder(), corpus.partitions, 1024, DoppelCommand.effectiveOptions(spec))
        .withSearch(new PairSearch(PairSearch.Mode.parse(search), blockedAbove, probes, 0, PairSearch.defaults().seed()));
    return DoppelCommand.withSpark(corpus, spark -> DoppelJob.run(spark, cfg, System.err));
  }

  private String problem() {
    if (!(threshold > 0 && threshold <= 1)) return "--threshold must be in (0, 1], got " + threshold;
    try {
      KeepPolicy.parse(keep);
    } catch (IllegalArgumentException e) {
      return "--keep: " + e.getMessage();
    }
    try {
      PairSearch.Mode.parse(search);
    } catch (IllegalArgumentException e) {
      return "--search: " + e.getMessage();
    }
    if (blockedAbove < 0) return "--blocked-above must be >= 0, got " + blockedAbove;
    if (probes < 1) return "--probes must be >= 1, got " + probes;
    return corpus.problem();
  }
}
