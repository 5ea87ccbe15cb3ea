package org.doppel.job.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiPredicate;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.RunConfig;
import org.doppel.job.cluster.GuardedComponents;
import org.doppel.job.decide.Alignment;
import org.doppel.job.decide.Background;
import org.doppel.job.decide.Decision;
import org.doppel.job.decide.PairEvidence;
import org.doppel.job.decide.Passage;
import org.doppel.job.eval.QualityMetrics;
import org.doppel.job.eval.Truth;
import org.doppel.job.exec.SparkSessions;
import org.doppel.job.report.Csv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

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

  @Option(names = "--from", description = "Lowest threshold on the score column (default ${DEFAULT-VALUE}).")
  double from = 0.05;

  @Option(names = "--to", description = "Highest threshold (default ${DEFAULT-VALUE}).")
  double to = 0.95;

  @Option(names = "--step", description = "Threshold step (default ${DEFAULT-VALUE}).")
  double step = 0.05;

  @Option(names = "--decision", paramLabel = "FILE", description = "Re-decide every pair of the report from its evidence columns with these decision parameters (scripts/fit-decision), instead of using its score column. Run the report at --threshold 0 so it holds every candidate.")
  Path decisionFile;

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
    JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
    JsonNode decision = summary.path("decision"), bg = summary.path("background");
    // Evidence is judged as the run judged it: against the corpus background it measured (none: as it is).
    Background corpus = bg.path("median_cosine").isNumber()
        ? new Background(bg.path("median_cosine").asDouble(), bg.path("containment_p95").asDouble(), bg.path("texts_sampled").asInt())
        : null;
    Decision redecide = decisionFile == null ? null : Decision.read(decisionFile);
    if (redecide != null && corpus != null) redecide = corpus.applyTo(redecide);
    Decision guard = redecide != null ? redecide : RunConfig.DEFAULT_DECISION
        .withGuard(decision.path("guard_cosine").asDouble(), decision.path("guard_containment").asDouble())
        .withFitted(bg.path("fitted_median_cosine").isNumber()
            ? new Background(bg.path("fitted_median_cosine").asDouble(), bg.path("fitted_containment_p95").asDouble(), 0)
            : null)
        .withCorpus(corpus);
    List<Row> rows;
    Map<String, Integer> chars = new HashMap<>(), words = new HashMap<>();
    try (SparkSession spark = SparkSessions.create("local[1]", "doppel-eval")) {
      rows = spark.read().parquet(report.resolve("pairs.parquet").toString())
          .select("path_a", "path_b", "score", "method", "cosine", "containment_a", "containment_b", "passage_score",
              "coverage_a", "coverage_b", "lexical_resemblance").collectAsList();
      for (Row d : spark.read().parquet(report.resolve("documents.parquet").toString()).select("path", "chars", "words").collectAsList()) {
        chars.put(d.getString(0), d.getInt(1));
        words.put(d.getString(0), d.getInt(2));
      }
    }
    Map<Row, Double> score = new HashMap<>();
    for (Row r : rows) score.put(r, redecide == null ? r.getDouble(2) : redecide.score(evidence(r, words)));
    // The hub guard needs each member's evidence towards its kept document: a report run at a low threshold
    // holds every candidate pair's; a pair that was not even a candidate is not admitted.
    Map<String, Row> evidence = new HashMap<>();
    for (Row r : rows) evidence.put(r.getString(0) + "\u0000" + r.getString(1), r);
    BiPredicate<String, String> admits = (a, b) -> {
      Row r = a.compareTo(b) < 0 ? evidence.get(a + "\u0000" + b) : evidence.get(b + "\u0000" + a);
      return r != null && guard.guardAdmits(r.getDouble(4), Math.max(r.getDouble(5), r.getDouble(6)));
    };
    Comparator<String> largest = Comparator.comparingInt((String p) -> chars.getOrDefault(p, 0)).reversed()
        .thenComparing(Comparator.naturalOrder());
    var out = spec.commandLine().getOut();
    CSVPrinter table = Csv.console(out, "threshold", "pairs", "precision", "recall", "f1", "ari", "tp", "fp", "fn",
        "ari_guarded", "largest_cluster");
    for (double t = from; t <= to + 1e-9; t += step) {
      List<List<String>> kept = new ArrayList<>();
      for (Row r : rows) {
        if ("exact".equals(r.getString(3)) || score.get(r) >= t - 1e-9) kept.add(List.of(r.getString(0), r.getString(1)));
      }
      QualityMetrics.Scores s = QualityMetrics.score(truth, kept);
      Map<String, String> guarded = new HashMap<>();
      for (String f : truth.keySet()) guarded.put(f, f);
      List<String[]> edges = kept.stream().map(p -> new String[] {p.get(0), p.get(1)}).toList();
      int largestCluster = 0;
      for (List<String> c : GuardedComponents.of(edges, largest, admits)) {
        for (String m : c) guarded.put(m, c.get(0));
        largestCluster = Math.max(largestCluster, c.size());
      }
      table.printRecord(String.format(Locale.ROOT, "%.3f", t), kept.size(), f4(s.precision()), f4(s.recall()), f4(s.f1()),
          f4(s.ari()), s.truePositives(), s.falsePositives(), s.falseNegatives(), f4(QualityMetrics.adjustedRand(truth, guarded)),
          largestCluster);
    }
    out.flush();
    return DoppelCommand.OK;
  }

  private static String f4(double x) {
    return String.format(Locale.ROOT, "%.4f", x);
  }

  /** A report row's evidence, as the decision saw it (the passage score and coverage stand for the alignment). */
  private static PairEvidence evidence(Row r, Map<String, Integer> words) {
    double passage = r.isNullAt(7) ? 0 : r.getDouble(7);
    Alignment al = new Alignment(List.of(new Passage(0, 0, null, 0, 0, null, passage)), r.isNullAt(8) ? 0 : r.getDouble(8),
        r.isNullAt(9) ? 0 : r.getDouble(9));
    return new PairEvidence(r.getDouble(4), al, r.getDouble(10), r.getDouble(5), r.getDouble(6),
        words.getOrDefault(r.getString(0), 0), words.getOrDefault(r.getString(1), 0));
  }
}
