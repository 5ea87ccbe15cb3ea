package org.doppel.job.eval;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pair precision / recall / F1 and the adjusted Rand index of predicted clusters against a labelled truth
 * ({@code file -> cluster id} for every document). Positives are unordered pairs of documents that share
 * a truth cluster; predicted clusters are connected components of the predicted pairs (others singletons).
 * The truth labels files: a pair with a document embedded in a labelled file ({@code file!/entry}, an archive
 * entry or attachment the run reports as a row of its own) is not scored.
 */
public final class QualityMetrics {
  public record Scores(int truePositives, int falsePositives, int falseNegatives, double precision, double recall,
                       double f1, double ari) {}

  private QualityMetrics() {}

  public static Scores score(Map<String, String> truthClusterByFile, Collection<List<String>> predictedPairs) {
    Set<String> truth = truthPairs(truthClusterByFile);
    Set<String> predicted = new HashSet<>();
    Map<String, String> parent = new HashMap<>();
    for (String f : truthClusterByFile.keySet()) parent.put(f, f);
    for (List<String> p : predictedPairs) {
      String a = p.get(0), b = p.get(1);
      if (embeddedInLabelled(truthClusterByFile, a) || embeddedInLabelled(truthClusterByFile, b)) continue;
      if (!truthClusterByFile.containsKey(a) || !truthClusterByFile.containsKey(b)) {
        throw new IllegalArgumentException("pair names a file the truth does not know: " + p);
      }
      predicted.add(key(a, b));
      union(parent, a, b);
    }
    int tp = 0;
    for (String p : predicted) if (truth.contains(p)) tp++;
    int fp = predicted.size() - tp, fn = truth.size() - tp;
    double precision = predicted.isEmpty() ? (truth.isEmpty() ? 1 : 0) : tp / (double) predicted.size();
    double recall = truth.isEmpty() ? 1 : tp / (double) truth.size();
    double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    Map<String, String> predictedCluster = new HashMap<>();
    for (String f : truthClusterByFile.keySet()) predictedCluster.put(f, find(parent, f));
    return new Scores(tp, fp, fn, precision, recall, f1, adjustedRand(truthClusterByFile, predictedCluster));
  }

  private static boolean embeddedInLabelled(Map<String, String> truth, String path) {
    int bang = path.indexOf("!/");
    return !truth.containsKey(path) && bang > 0 && truth.containsKey(path.substring(0, bang));
  }

  static Set<String> truthPairs(Map<String, String> clusterByFile) {
    Map<String, List<String>> members = new HashMap<>();
    clusterByFile.forEach((f, c) -> members.computeIfAbsent(c, k -> new java.util.ArrayList<>()).add(f));
    Set<String> out = new HashSet<>();
    for (List<String> m : members.values()) {
      for (int i = 0; i < m.size(); i++) for (int j = i + 1; j < m.size(); j++) out.add(key(m.get(i), m.get(j)));
    }
    return out;
  }

  /** Hubert & Arabie's adjusted Rand index over the same set of items. */
  public static double adjustedRand(Map<String, String> a, Map<String, String> b) {
    Map<String, Map<String, Integer>> table = new HashMap<>();
    Map<String, Integer> rows = new HashMap<>(), cols = new HashMap<>();
    for (Map.Entry<String, String> e : a.entrySet()) {
      String ca = e.getValue(), cb = b.get(e.getKey());
      table.computeIfAbsent(ca, k -> new HashMap<>()).merge(cb, 1, Integer::sum);
      rows.merge(ca, 1, Integer::sum);
      cols.merge(cb, 1, Integer::sum);
    }
    double index = 0, sumRows = 0, sumCols = 0;
    for (Map<String, Integer> r : table.values()) for (int n : r.values()) index += choose2(n);
    for (int n : rows.values()) sumRows += choose2(n);
    for (int n : cols.values()) sumCols += choose2(n);
    double total = choose2(a.size());
    double expected = total == 0 ? 0 : sumRows * sumCols / total;
    double max = (sumRows + sumCols) / 2;
    if (max == expected) return 1.0; // both partitions trivial and identical in structure
    return (index - expected) / (max - expected);
  }

  private static double choose2(int n) {
    return n * (n - 1) / 2.0;
  }

  private static String key(String a, String b) {
    return a.compareTo(b) < 0 ? a + "\u0000" + b : b + "\u0000" + a;
  }

  private static String find(Map<String, String> parent, String x) {
    while (!parent.get(x).equals(x)) {
      parent.put(x, parent.get(parent.get(x)));
      x = parent.get(x);
    }
    return x;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    String ra = find(parent, a), rb = find(parent, b);
    if (!ra.equals(rb)) parent.put(ra, rb);
  }
}
