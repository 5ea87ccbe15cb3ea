package org.doppel.job.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.Clusters;
import org.doppel.job.GuardedComponents;
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

  @Option(names = "--guard-margin", description = "Hub guard: members within threshold - margin of the kept document (default ${DEFAULT-VALUE}).")
  double guardMargin = Clusters.GUARD_MARGIN;

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
    Map<String, Integer> chars = new HashMap<>();
    try (SparkSession spark = SparkSessions.create("local[1]", "doppel-eval")) {
      rows = spark.read().parquet(report.resolve("pairs.parquet").toString()).select("path_a", "path_b", "score", "method").collectAsList();
      for (Row d : spark.read().parquet(report.resolve("documents.parquet").toString()).select("path", "chars").collectAsList()) {
        chars.put(d.getString(0), d.getInt(1));
      }
    }
    // The report's pair scores serve as the cosine lookup of the hub guard: run at a low threshold, it
    // holds every cosine that could reach a guard bound.
    Map<String, Double> cosine = new HashMap<>();
    for (Row r : rows) cosine.put(r.getString(0) + "\u0000" + r.getString(1), r.getDouble(2));
    Comparator<String> largest = Comparator.comparingInt((String p) -> chars.getOrDefault(p, 0)).reversed()
        .thenComparing(Comparator.naturalOrder());
    var out = spec.commandLine().getOut();
    out.println("threshold,pairs,precision,recall,f1,ari,tp,fp,fn,ari_guarded");
    for (double t = from; t <= to + 1e-9; t += step) {
      List<List<String>> kept = new ArrayList<>();
      for (Row r : rows) {
        if ("exact".equals(r.getString(3)) || r.getDouble(2) >= t - 1e-9) kept.add(List.of(r.getString(0), r.getString(1)));
      }
      QualityMetrics.Scores s = QualityMetrics.score(truth, kept);
      Map<String, String> guarded = new HashMap<>();
      for (String f : truth.keySet()) guarded.put(f, f);
      List<String[]> edges = kept.stream().map(p -> new String[] {p.get(0), p.get(1)}).toList();
      for (List<String> c : GuardedComponents.of(edges, largest, (a, b) -> lookup(cosine, a, b), t - guardMargin)) {
        for (String m : c) guarded.put(m, c.get(0));
      }
      out.printf(Locale.ROOT, "%.3f,%d,%.4f,%.4f,%.4f,%.4f,%d,%d,%d,%.4f%n", t, kept.size(), s.precision(), s.recall(),
          s.f1(), s.ari(), s.truePositives(), s.falsePositives(), s.falseNegatives(), QualityMetrics.adjustedRand(truth, guarded));
    }
    out.flush();
    return DoppelCommand.OK;
  }

  private static double lookup(Map<String, Double> cosine, String a, String b) {
    Double c = a.compareTo(b) < 0 ? cosine.get(a + "\u0000" + b) : cosine.get(b + "\u0000" + a);
    return c == null ? 0 : c;
  }
}
