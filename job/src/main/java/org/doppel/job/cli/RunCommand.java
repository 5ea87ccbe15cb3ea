package org.doppel.job.cli;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.doppel.job.DoppelJob;
import org.doppel.job.RunConfig;
import org.doppel.job.RunSummary;
import org.doppel.job.changes.Previous;
import org.doppel.job.cluster.KeepPolicy;
import org.doppel.job.corpus.TextTables;
import org.doppel.job.decide.Decision;
import org.doppel.job.state.StateStore;
import org.doppel.model.ComputeDevice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code doppel run INPUT_DIR... --out REPORT_DIR}: the whole pipeline over some folders. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = DoppelCommand.Version.class,
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {DoppelCommand.EXIT_OK, DoppelCommand.EXIT_FATAL,
        DoppelCommand.EXIT_USAGE, DoppelCommand.EXIT_NEW_PAIRS, DoppelCommand.EXIT_BUSY},
    description = "Extract, embed and compare every file under the input folders; write duplicate reports.")
public final class RunCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CorpusOptions corpus;

  static { // read by the --threshold help text, so it names the shipped default, whatever the fit chose
    System.setProperty("doppel.shipped.threshold", String.valueOf(RunConfig.DEFAULT_DECISION.defaultThreshold()));
  }

  @Option(names = {"-t", "--threshold"}, paramLabel = "T", description = "A pair is reported when the calibrated probability that it is a near-duplicate (the score column) is at least T (0 <= T <= 1; default: the decision parameters' default, ${sys:doppel.shipped.threshold} for the shipped model).")
  Double threshold;

  @Option(names = "--decision", paramLabel = "FILE", description = "Decision parameters (JSON written by scripts/fit-decision); default: those shipped for the model.")
  Path decisionFile;

  @Option(names = "--candidate-cosine", paramLabel = "C", description = "Document cosine above which a pair is a semantic candidate (default: from the decision parameters). Lower finds more, slower.")
  Double candidateCosine;

  @Mixin
  ReportOptions report;

  @Mixin
  SearchOptions searchOptions;

  @Option(names = "--state", paramLabel = "STATE_DIR", description = "Incremental runs: reuse what the previous run with this folder extracted and embedded (only new and changed files are processed; pairs are recomputed over all), then store this run's state there. A local path or a Hadoop URI (hdfs://, s3a://, ...).")
  String state;

  @Option(names = "--previous", paramLabel = "REPORT_DIR", description = "Report changes.csv/.parquet against this earlier report (pairs new or gone, documents that joined, left or moved between clusters, and why); with --state they are against the run that wrote the state unless this is given. May be the --out folder itself: it is read before it is replaced.")
  String previous;

  @Option(names = "--exit-code-on", paramLabel = "EVENT", description = "new-pairs: exit 3 (instead of 0) when the report has pairs the previous run's did not (needs --state or --previous; a first run's pairs are all new).")
  String exitCodeOn;

  @Override
  public Integer call() throws IOException {
    String problem = problem();
    if (problem != null) return DoppelCommand.usageError(spec, problem);
    Decision decision;
    if (decisionFile != null) {
      try {
        decision = Decision.read(decisionFile);
      } catch (IOException | RuntimeException e) {
        return DoppelCommand.usageError(spec, "cannot read decision parameters " + decisionFile + ": " + DoppelCommand.oneLine(e));
      }
    } else {
      decision = Decision.shippedFor(corpus.model);
      if (decision == null) {
        decision = RunConfig.DEFAULT_DECISION;
        spec.commandLine().getErr().println("doppel: warning: no decision parameters are shipped for model " + corpus.model
            + "; using those fitted for " + decision.model() + " (fit your own with scripts/fit-decision, pass --decision)");
      }
    }
    if (candidateCosine != null) decision = decision.withCandidateCosine(candidateCosine);
    double t = threshold != null ? threshold : decision.defaultThreshold();
    RunConfig cfg = RunConfig.builder(corpus.inputs, corpus.out).threshold(t).excludes(corpus.excludes)
        .keep(report.keep(KeepPolicy.LARGEST.label())).master(corpus.spark.master).extractor(corpus.extractor())
        .embedder(corpus.embedder()).partitions(corpus.partitions).options(DoppelCommand.effectiveOptions(spec))
        .decision(decision).htmlPairs(report.htmlPairs)
        .search(searchOptions.search().withDevice(ComputeDevice.fromLabel(corpus.device))).files(corpus.listedFiles).build();
    RunSummary[] done = new RunSummary[1];
    int code;
    try {
      code = DoppelCommand.withSpark(spec, corpus, state,
          spark -> done[0] = DoppelJob.run(spark, corpus.tables.applyTo(spark, cfg),
              state == null ? null : Location.of(state), previous == null ? null : Location.of(previous), System.err));
    } catch (TextTables.Unusable e) { // a --text-table's files, looked at once Spark is up, before any work
      return DoppelCommand.usageError(spec, e.getMessage());
    }
    return code == DoppelCommand.OK && exitCodeOn != null && done[0].newPairs() > 0 ? DoppelCommand.NEW_PAIRS : code;
  }

  private String problem() {
    if (threshold != null && !(threshold >= 0 && threshold <= 1)) return "--threshold must be in [0, 1], got " + threshold;
    if (candidateCosine != null && !(candidateCosine > -1 && candidateCosine <= 1)) {
      return "--candidate-cosine must be in (-1, 1], got " + candidateCosine;
    }
    String reportProblem = report.problem();
    if (reportProblem != null) return reportProblem;
    if (exitCodeOn != null && !exitCodeOn.equals("new-pairs")) return "--exit-code-on must be new-pairs, got " + exitCodeOn;
    if (exitCodeOn != null && state == null && previous == null) {
      return "--exit-code-on new-pairs needs --state or --previous (what the pairs are new against)";
    }
    if (previous != null) {
      String p = Previous.problem(Location.of(previous));
      if (p != null) return p;
    }
    String searchProblem = searchOptions.problem();
    if (searchProblem != null) return searchProblem;
    String problem = corpus.problem(state);
    if (problem == null && state != null) problem = StateStore.problem(Location.of(state));
    return problem;
  }
}
