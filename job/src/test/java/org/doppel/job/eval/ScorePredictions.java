package org.doppel.job.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVPrinter;
import org.doppel.job.report.Csv;

/**
 * scripts/eval-quality: scores any method's predicted pairs with the scorer {@code doppel eval} uses
 * ({@link QualityMetrics}: pair P/R/F1 over all truth pairs, ARI of the connected components), over a
 * threshold grid, plus the flagged rate per label and transform of ground_truth.csv ({@link LabelledPairs}).
 *
 * <pre>ScorePredictions PREDICTIONS.tsv CLUSTERS.csv GROUND_TRUTH.csv|- FROM TO STEP SWEEP.csv BY_TRANSFORM.csv</pre>
 *
 * PREDICTIONS.tsv (header line, tab-separated) is either {@code path_a path_b score exact}: a pair is predicted at
 * threshold t when exact is 1 or score >= t (a similarity); or {@code threshold path_a path_b}: the pairs predicted
 * at each threshold (a method whose candidates depend on the threshold, such as LSH banding). Writes
 * {@code threshold,pairs,precision,recall,f1,ari,tp,fp,fn} and {@code threshold,label,kind,pairs,flagged,rate}.
 */
public final class ScorePredictions {
  private ScorePredictions() {}

  record Row(double threshold, String a, String b, double score, boolean exact) {}

  public static void main(String[] args) throws IOException {
    if (args.length != 8) {
      System.err.println("usage: ScorePredictions PREDICTIONS.tsv CLUSTERS.csv GROUND_TRUTH.csv|- FROM TO STEP SWEEP.csv BY_TRANSFORM.csv");
      System.exit(2);
    }
    Map<String, String> truth = Truth.clusters(Path.of(args[1]));
    List<LabelledPairs.Pair> labelled = args[2].equals("-") ? List.of() : LabelledPairs.read(Path.of(args[2]));
    double from = Double.parseDouble(args[3]), to = Double.parseDouble(args[4]), step = Double.parseDouble(args[5]);
    List<String> lines = Files.readAllLines(Path.of(args[0]));
    List<String> header = Arrays.asList(lines.get(0).split("\t"));
    boolean perThreshold = header.equals(List.of("threshold", "path_a", "path_b"));
    if (!perThreshold && !header.equals(List.of("path_a", "path_b", "score", "exact"))) {
      throw new IOException(args[0] + ": header must be 'path_a path_b score exact' or 'threshold path_a path_b', got " + header);
    }
    List<Row> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", -1);
      rows.add(perThreshold ? new Row(Double.parseDouble(f[0]), f[1], f[2], 0, false)
          : new Row(Double.NaN, f[0], f[1], Double.parseDouble(f[2]), f[3].equals("1") || f[3].equals("true")));
    }
    try (CSVPrinter sweep = Csv.writer(Path.of(args[6]), List.of("threshold", "pairs", "precision", "recall", "f1", "ari",
        "tp", "fp", "fn"));
         CSVPrinter byTransform = Csv.writer(Path.of(args[7]), List.of("threshold", "label", "kind", "pairs", "flagged", "rate"))) {
      for (int i = 0; from + i * step <= to + 1e-9; i++) {
        double t = from + i * step;
        List<List<String>> predicted = new ArrayList<>();
        for (Row r : rows) {
          boolean hit = perThreshold ? Math.abs(r.threshold() - t) < 1e-6 : r.exact() || r.score() >= t - 1e-9;
          if (hit) predicted.add(List.of(r.a(), r.b()));
        }
        QualityMetrics.Scores s = QualityMetrics.score(truth, predicted);
        sweep.printRecord(fmt("%.3f", t), predicted.size(), fmt("%.4f", s.precision()), fmt("%.4f", s.recall()),
            fmt("%.4f", s.f1()), fmt("%.4f", s.ari()), s.truePositives(), s.falsePositives(), s.falseNegatives());
        for (LabelledPairs.Flagged f : LabelledPairs.flagged(labelled, predicted)) {
          byTransform.printRecord(fmt("%.3f", t), f.label(), f.kind(), f.pairs(), f.flagged(), fmt("%.4f", f.rate()));
        }
      }
    }
  }

  private static String fmt(String format, double x) {
    return String.format(Locale.ROOT, format, x);
  }
}
