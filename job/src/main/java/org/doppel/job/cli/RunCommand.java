package org.doppel.job.cli;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.doppel.job.DoppelJob;
import org.doppel.job.KeepPolicy;
import org.doppel.job.RunConfig;
import org.doppel.job.report.HtmlReport;
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

  @Option(names = "--html-pairs", paramLabel = "N", description = "Pairs report.html shows in detail, with their passages; the rest are in pairs.csv (default ${DEFAULT-VALUE}).")
  int htmlPairs = HtmlReport.DEFAULT_PAIRS;

  @Override
  public Integer call() throws IOException {
    String problem = problem();
    if (problem != null) return DoppelCommand.usageError(spec, problem);
    RunConfig cfg = new RunConfig(List.copyOf(corpus.inputs), corpus.out, threshold, List.copyOf(corpus.excludes),
        KeepPolicy.parse(keep), corpus.master, corpus.extractor(), corpus.embedder(), corpus.partitions, 1024, DoppelCommand.effectiveOptions(spec), htmlPairs);
    return DoppelCommand.withSpark(corpus, spark -> DoppelJob.run(spark, cfg, System.err));
  }

  private String problem() {
    if (!(threshold > 0 && threshold <= 1)) return "--threshold must be in (0, 1], got " + threshold;
    if (htmlPairs < 0) return "--html-pairs must be 0 or more, got " + htmlPairs;
    try {
      KeepPolicy.parse(keep);
    } catch (IllegalArgumentException e) {
      return "--keep: " + e.getMessage();
    }
    return corpus.problem();
  }
}
