package org.doppel.job.cli;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.doppel.job.RethresholdJob;
import org.doppel.job.RunConfig;
import org.doppel.job.cluster.KeepPolicy;
import org.doppel.job.output.OutputFolder;
import org.doppel.job.output.OutputPaths;
import org.doppel.job.state.ReportEvidence;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code doppel rethreshold REPORT_DIR --threshold T --out DIR}: the same run's report at a higher threshold. */
@Command(name = "rethreshold", mixinStandardHelpOptions = true, versionProvider = DoppelCommand.Version.class,
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {DoppelCommand.EXIT_OK, DoppelCommand.EXIT_FATAL,
        DoppelCommand.EXIT_USAGE, DoppelCommand.EXIT_BUSY},
    description = {"Write a full report (pairs, clusters, report.html, summary) at a higher threshold from the "
        + "evidence a `doppel run` report keeps (its evidence/ folder), without extracting or embedding: equal to a "
        + "fresh run at that threshold. Run once at a low threshold, then try stricter ones.",
        "Example: doppel rethreshold report-0.3 --threshold 0.6 --out report-0.6"})
public final class RethresholdCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REPORT_DIR", description = "A report written by doppel run (read only): a local path or a Hadoop URI.")
  String from;

  @Option(names = {"-t", "--threshold"}, required = true, paramLabel = "T", description = "The new threshold: at least the one REPORT_DIR was made at, at most 1.")
  double threshold;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT_DIR", description = "Output folder (replaced atomically; new, empty or written by Doppel): a local path or a Hadoop URI.")
  String out;

  @Mixin
  ReportOptions report;

  @Mixin
  SparkOptions spark;

  @Option(names = "--partitions", paramLabel = "N", description = "Spark partitions (default: 2 x cores).")
  int partitions;

  @Option(names = "--config", paramLabel = "FILE", description = "Option values from a properties file (as for run).")
  Path config;

  @Override
  public Integer call() throws IOException {
    String problem = problem();
    if (problem != null) return DoppelCommand.usageError(spec, problem);
    Location source = Location.of(from);
    Map<String, Object> summary = RethresholdJob.summaryOf(source);
    double made = ReportEvidence.threshold(source);
    if (threshold < made || threshold > 1) {
      return DoppelCommand.usageError(spec, "--threshold must be in [" + made + ", 1]: " + from + " was made at "
          + made + " and holds no evidence below it (run doppel run at a lower threshold)");
    }
    List<String> inputs = new ArrayList<>();
    if (summary.get("inputs") instanceof List<?> given) given.forEach(n -> inputs.add(String.valueOf(n)));
    KeepPolicy policy = report.keep(summary.get("keep") instanceof String k ? k : KeepPolicy.LARGEST.label());
    RunConfig cfg = RunConfig.builder(inputs, out).threshold(threshold).keep(policy).master(spark.master)
        .partitions(partitions).options(DoppelCommand.effectiveOptions(spec)).htmlPairs(report.htmlPairs).build();
    return DoppelCommand.withSpark(spec, out, null, spark, session -> RethresholdJob.run(session, source, summary, cfg, System.err));
  }

  private String problem() throws IOException {
    if (!Location.of(from).resolve("summary.json").isFile()) return "REPORT_DIR " + from + " is not a Doppel report (no summary.json)";
    String evidence = ReportEvidence.problem(Location.of(from));
    if (evidence != null) return evidence;
    String sparkProblem = spark.problem();
    if (sparkProblem != null) return sparkProblem;
    String reportProblem = report.problem();
    if (reportProblem != null) return reportProblem;
    String overlap = OutputPaths.problem(List.of(new OutputPaths.Given("REPORT_DIR", from)),
        List.of(new OutputPaths.Given("--out", out)));
    if (overlap != null) return overlap;
    return OutputFolder.problem(Location.of(out), OutputFolder.Kind.REPORT, "--out");
  }
}
