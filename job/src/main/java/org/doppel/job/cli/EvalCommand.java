package org.doppel.job.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.eval.QualityMetrics;
import org.doppel.job.eval.Truth;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code doppel eval REPORT_DIR --truth clusters.csv}: pair precision/recall/F1 and ARI of a report against
 * a labelled truth, at one threshold or a sweep. A run at a low threshold holds every higher threshold's
 * pairs (the pairs scoring at or above it; exact pairs always count), so one run serves the whole sweep.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = DoppelCommand.Version.class,
    description = "Score a report against a labelled corpus (clusters.csv: file,cluster_id).")
public final class EvalCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REPORT_DIR")
  Path report;

  @Option(names = "--truth", required = true, paramLabel = "CLUSTERS_CSV")
  Path truthCsv;

  @Option(names = "--from", description = "Lowest threshold (default ${DEFAULT-VALUE}).")
  double from = 0.80;

  @Option(names = "--to", description = "Highest threshold (default ${DEFAULT-VALUE}).")
  double to = 0.99;

  @Option(names = "--step", description = "Threshold step (default ${DEFAULT-VALUE}).")
  double step = 0.01;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(report.resolve("pairs.parquet"))) {
      spec.commandLine().getErr().println("doppel: no pairs.parquet in " + report);
      return DoppelCommand.USAGE;
    }
    if (!Files.isRegularFile(truthCsv)) {
      spec.commandLine().getErr().println("doppel: truth file not found: " + truthCsv);
      return DoppelCommand.USAGE;
    }
    Map<String, String> truth = Truth.clusters(truthCsv);
    List<Row> rows;
    try (SparkSession spark = SparkSessions.create("local[1]", "doppel-eval")) {
      rows = spark.read().parquet(report.resolve("pairs.parquet").toString()).select("path_a", "path_b", "score", "method").collectAsList();
    }
    var out = spec.commandLine().getOut();
    out.println("threshold,pairs,precision,recall,f1,ari,tp,fp,fn");
    for (double t = from; t <= to + 1e-9; t += step) {
      List<List<String>> kept = new ArrayList<>();
      for (Row r : rows) {
        if ("exact".equals(r.getString(3)) || r.getDouble(2) >= t - 1e-9) kept.add(List.of(r.getString(0), r.getString(1)));
      }
      QualityMetrics.Scores s = QualityMetrics.score(truth, kept);
      out.printf(Locale.ROOT, "%.3f,%d,%.4f,%.4f,%.4f,%.4f,%d,%d,%d%n", t, kept.size(), s.precision(), s.recall(),
          s.f1(), s.ari(), s.truePositives(), s.falsePositives(), s.falseNegatives());
    }
    out.flush();
    return DoppelCommand.OK;
  }
}
