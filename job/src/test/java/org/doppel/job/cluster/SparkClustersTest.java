package org.doppel.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.doppel.job.RunConfig;
import org.doppel.job.SparkTestSession;
import org.doppel.job.bench.ClusteredVectors;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.decide.Decision;
import org.doppel.job.decide.PairRow;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** Components and hub-guarded clusters computed in Spark equal the ones computed in one JVM. */
public class SparkClustersTest {
  private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());

  @Test
  void sparkComponentsEqualUnionFindOnRandomGraphsAndLongChains() {
    Random rnd = new Random(3);
    List<Tuple2<String, String>> edges = new ArrayList<>();
    // sparse random graphs (many small and a few large components), ids shuffled so id order says nothing
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3000; i++) ids.add(String.format("n%05d", i));
    Collections.shuffle(ids, rnd);
    for (int e = 0; e < 1200; e++) edges.add(new Tuple2<>(ids.get(rnd.nextInt(1000)), ids.get(rnd.nextInt(1000))));
    for (int i = 1000; i < 1999; i++) edges.add(new Tuple2<>(ids.get(i), ids.get(i + 1))); // a chain of 1000
    for (int i = 2001; i < 2500; i++) edges.add(new Tuple2<>(ids.get(2000), ids.get(i))); // a star of 500
    for (int i = 2500; i < 3000; i++) edges.add(new Tuple2<>(ids.get(i), ids.get(i == 2999 ? 2500 : i + 1))); // a cycle
    edges.add(new Tuple2<>("self", "self"));

    ConnectedComponents.Result result = ConnectedComponents.of(jsc.parallelizePairs(edges, 4), 4);
    Map<String, String> labels = new HashMap<>(result.labels().collectAsMap());

    Set<Set<String>> expected = unionFind(edges), got = groups(labels);
    assertEquals(expected, got);
    assertTrue(expected.stream().anyMatch(c -> c.size() == 1000), "the chain is one component");
    for (Map.Entry<String, String> e : labels.entrySet()) {
      assertEquals(groupOf(expected, e.getKey()).stream().min(String::compareTo).orElseThrow(), e.getValue(),
          "label = smallest node of the component");
    }
    // label propagation would need ~1000 rounds for the chain; large-star/small-star needs O(log n)
    assertTrue(result.rounds() <= 25, "rounds: " + result.rounds());
    System.err.println("connected components: " + result.rounds() + " rounds");
  }

  @Test
  void guardedClustersInSparkEqualTheDriverOnesForEveryKeepPolicy() {
    int n = 400;
    float[][] v = ClusteredVectors.generate(n, 64, 5);
    Map<String, DocumentRow> docs = new HashMap<>();
    Map<String, float[]> vectors = new HashMap<>();
    List<DocumentRow> rows = new ArrayList<>();
    Random rnd = new Random(9);
    for (int i = 0; i < n; i++) {
      // every 7th document is an exact copy of the one before (same text, so same vector)
      String text = i % 7 == 6 ? rows.get(i - 1).textSha256() : "t" + i;
      DocumentRow d = doc("d" + i, "dir/" + (char) ('a' + rnd.nextInt(26)) + i + ".txt", text, 100 + rnd.nextInt(5000),
          rnd.nextInt(1000));
      rows.add(d);
      docs.put(d.docId(), d);
      vectors.put(text, v[i % 7 == 6 ? i - 1 : i]);
    }
    double threshold = 0.88; // low enough that components chain and the guard has work to do
    List<PairRow> pairs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = Clusters.cosine(rows.get(i), rows.get(j), vectors);
        if (s >= threshold) pairs.add(PairRow.of(rows.get(i), rows.get(j), s, PairRow.SEMANTIC, "test", null));
      }
    }
    assertTrue(pairs.size() > n, "test data must produce many pairs: " + pairs.size());
    Decision guard = cosineGuard(threshold - 0.05);
    for (KeepPolicy keep : KeepPolicy.values()) {
      List<ClusterRow> driver = Clusters.onDriver(pairs, docs, keep, vectors, guard);
      List<ClusterRow> spark = inSpark(jsc, pairs, docs, keep, vectors, guard);
      assertEquals(driver, spark, keep.label());
      long split = driver.stream().filter(ClusterRow::keep).count();
      assertTrue(split > plainComponents(pairs), keep.label() + ": the guard must split some component");
    }
  }

  @Test
  void chainWhoseEndsDifferIsNotOneCluster() {
    // A~B and B~C pass 0.93, A and C are only 0.81 alike; A (most text) is kept, so C must leave
    double step = Math.acos(0.95);
    Map<String, float[]> vectors = Map.of("ta", new float[] {1, 0}, "tb", unit(step), "tc", unit(2 * step));
    DocumentRow a = doc("A", "a.txt", "ta", 900, 0), b = doc("B", "b.txt", "tb", 500, 0), c = doc("C", "c.txt", "tc", 800, 0);
    Map<String, DocumentRow> docs = Map.of("A", a, "B", b, "C", c);
    List<PairRow> pairs = List.of(PairRow.of(a, b, 0.95, PairRow.SEMANTIC, "t", null),
        PairRow.of(b, c, 0.95, PairRow.SEMANTIC, "t", null));
    List<ClusterRow> clusters = inSpark(jsc, pairs, docs, KeepPolicy.LARGEST, vectors, cosineGuard(0.88));
    assertEquals(List.of("A", "B"), clusters.stream().map(ClusterRow::docId).toList());
    assertEquals(true, clusters.get(0).keep());
    assertEquals(0.95, clusters.get(1).scoreToKeep(), 1e-6);
  }

  /** {@link Clusters#of} on these records, distributed as a run distributes them, in {@link Clusters#onDriver}'s order. */
  public static List<ClusterRow> inSpark(JavaSparkContext jsc, List<PairRow> pairs, Map<String, DocumentRow> docs,
                                         KeepPolicy keep, Map<String, float[]> vectors, Decision decision) {
    List<org.doppel.job.data.TextVector> rows = new ArrayList<>();
    vectors.forEach((t, v) -> rows.add(new org.doppel.job.data.TextVector(t, v, 1, 0)));
    List<ClusterRow> out = new ArrayList<>(Clusters.of(jsc.parallelize(pairs, 3), jsc.parallelize(new ArrayList<>(docs.values()), 3),
        jsc.parallelize(rows, 3), keep, decision, 4).collect());
    out.sort(java.util.Comparator.comparing((ClusterRow r) -> docs.get(r.clusterId()).path()).thenComparing(r -> !r.keep())
        .thenComparing(ClusterRow::path));
    return out;
  }

  /** The shipped decision with a guard on document cosine only (these test documents have no sketches). */
  private static Decision cosineGuard(double bound) {
    return RunConfig.DEFAULT_DECISION.withGuard(bound, 2.0);
  }

  private static float[] unit(double angle) {
    return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
  }

  private static DocumentRow doc(String id, String path, String textSha, int chars, long modified) {
    return new DocumentRow(id, "in", path, chars, "sha-" + id, textSha, "text/plain", "ok", "", chars, modified, null, null, null);
  }

  private static long plainComponents(List<PairRow> pairs) {
    List<Tuple2<String, String>> edges = pairs.stream().map(p -> new Tuple2<>(p.docA(), p.docB())).toList();
    return unionFind(edges).stream().filter(c -> c.size() > 1).count();
  }

  private static Set<Set<String>> unionFind(List<Tuple2<String, String>> edges) {
    Map<String, String> parent = new HashMap<>();
    for (Tuple2<String, String> e : edges) {
      if (e._1().equals(e._2())) continue;
      parent.putIfAbsent(e._1(), e._1());
      parent.putIfAbsent(e._2(), e._2());
      parent.put(find(parent, e._1()), find(parent, e._2()));
    }
    Map<String, Set<String>> byRoot = new TreeMap<>();
    for (String x : parent.keySet()) byRoot.computeIfAbsent(find(parent, x), k -> new TreeSet<>()).add(x);
    return new HashSet<>(byRoot.values());
  }

  private static String find(Map<String, String> parent, String x) {
    while (!parent.get(x).equals(x)) x = parent.get(x);
    return x;
  }

  private static Set<Set<String>> groups(Map<String, String> labels) {
    Map<String, Set<String>> byLabel = new HashMap<>();
    labels.forEach((node, label) -> byLabel.computeIfAbsent(label, k -> new TreeSet<>()).add(node));
    return new HashSet<>(byLabel.values());
  }

  private static Set<String> groupOf(Set<Set<String>> groups, String node) {
    return groups.stream().filter(g -> g.contains(node)).findFirst().orElseThrow();
  }
}
