package org.doppel.job.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.cli.SparkSessions;

/**
 * Scores one report against a labelled corpus at a series of thresholds: run Doppel once at the lowest
 * threshold, then every higher threshold is the subset of pairs scoring at or above it (exact pairs always
 * count). Usage: {@code ThresholdSweep REPORT_DIR CLUSTERS_CSV [FROM TO STEP]}.
 */
public final class ThresholdSweep {
  private ThresholdSweep() {}

  public static void main(String[] args) throws Exception {
    Path report = Path.of(args[0]);
    Map<String, String> truth = Truth.clusters(Path.of(args[1]));
    double from = args.length > 2 ? Double.parseDouble(args[2]) : 0.80;
    double to = args.length > 3 ? Double.parseDouble(args[3]) : 0.99;
    double step = args.length > 4 ? Double.parseDouble(args[4]) : 0.01;
    List<Row> rows;
    try (SparkSession spark = SparkSessions.create("local[1]", "doppel-sweep")) {
      rows = spark.read().parquet(report.resolve("pairs.parquet").toString()).select("path_a", "path_b", "score", "method").collectAsList();
    }
    System.out.println("threshold,pairs,precision,recall,f1,ari,tp,fp,fn");
    for (double t = from; t <= to + 1e-9; t += step) {
      List<List<String>> kept = new ArrayList<>();
      for (Row r : rows) {
        if ("exact".equals(r.getString(3)) || r.getDouble(2) >= t - 1e-9) kept.add(List.of(r.getString(0), r.getString(1)));
      }
      QualityMetrics.Scores s = QualityMetrics.score(truth, kept);
      System.out.printf(Locale.ROOT, "%.3f,%d,%.4f,%.4f,%.4f,%.4f,%d,%d,%d%n", t, kept.size(), s.precision(), s.recall(),
          s.f1(), s.ari(), s.truePositives(), s.falsePositives(), s.falseNegatives());
    }
  }
}
