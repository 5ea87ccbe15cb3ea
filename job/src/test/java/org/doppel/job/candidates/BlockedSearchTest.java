package org.doppel.job.candidates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.doppel.job.SparkTestSession;
import org.doppel.job.bench.ClusteredVectors;
import org.doppel.job.bench.IndexedSearch;
import org.doppel.job.data.TextVector;
import org.doppel.model.ComputeDevice;
import org.junit.jupiter.api.Test;

/**
 * Blocked search finds nearly every pair the exact search finds, each once and with the same score, for a
 * fraction of the dot products. Vectors: {@link ClusteredVectors} (topics, families, near-duplicate groups).
 */
class BlockedSearchTest {
  private final JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());

  @Test
  void recallAndSavingAgainstExactSearch() {
    int n = 8000;
    float[][] v = ClusteredVectors.generate(n, 384, 21);
    for (double threshold : new double[] {0.93, 0.90}) {
      List<IndexedSearch.Hit> exact = IndexedSearch.exact(jsc, v, threshold, 1024);
      IndexedSearch.Blocked blocked = IndexedSearch.blocked(jsc, v, threshold, 1024, 0, BlockedSearch.DEFAULT_WIDTH, 42);
      Map<Long, Float> truth = new HashMap<>();
      for (IndexedSearch.Hit h : exact) truth.put(key(h), h.score());
      Map<Long, Float> seen = new HashMap<>();
      for (IndexedSearch.Hit h : blocked.hits()) {
        assertTrue(h.i() < h.j());
        assertEquals(null, seen.put(key(h), h.score()), "each unordered pair once");
        Float s = truth.get(key(h));
        if (s != null) assertEquals(s, h.score(), 1e-5f);
        else assertTrue(Math.abs(h.score() - threshold) < 1e-5, "a pair exact search missed must sit on the threshold");
      }
      long found = seen.keySet().stream().filter(truth::containsKey).count();
      double recall = found / (double) exact.size();
      long allPairs = (long) n * (n - 1) / 2;
      assertTrue(exact.size() > n / 2, "test data must produce many pairs: " + exact.size());
      assertTrue(recall >= 0.99, "recall at " + threshold + ": " + recall);
      assertTrue(blocked.pairDots() * 5 <= allPairs, "pairs scored: " + blocked.pairDots() + " of " + allPairs);
    }
  }

  @Test
  void samePairsForTheSameSeed() {
    float[][] v = ClusteredVectors.generate(3000, 64, 4);
    IndexedSearch.Blocked a = IndexedSearch.blocked(jsc, v, 0.9, 256, 0, 1.0, 7);
    IndexedSearch.Blocked b = IndexedSearch.blocked(jsc, v, 0.9, 256, 0, 1.0, 7);
    assertEquals(a.hits(), b.hits());
    assertTrue(!a.hits().isEmpty());
  }

  /**
   * The blocks are a function of the vectors, not of their partitioning or task order (sample by key hash,
   * integer member sums): a cluster and a local run of the same vectors find the same pairs.
   */
  @Test
  void samePairsHoweverTheRowsArePartitioned() {
    float[][] v = ClusteredVectors.generate(3000, 64, 4);
    List<TextVector> rows = new ArrayList<>();
    for (int i = 0; i < v.length; i++) rows.add(new TextVector(IndexedSearch.key(i), v[i], 1, 0));
    List<TextVector> shuffled = new ArrayList<>(rows);
    java.util.Collections.shuffle(shuffled, new Random(5));
    IndexedSearch.Blocked a = IndexedSearch.blocked(jsc.parallelize(rows, 2), v, 0.9, 256, 0, 0.3, 7);
    IndexedSearch.Blocked b = IndexedSearch.blocked(jsc.parallelize(shuffled, 7), v, 0.9, 256, 0, 0.3, 7);
    assertEquals(a.hits(), b.hits());
    assertEquals(a.pairDots(), b.pairDots(), "the same blocks and probes");
    assertTrue(a.hits().size() > 1000, "pairs: " + a.hits().size());
  }

  /** Scoring tasks follow the rows (a task's memory is bounded), at least 4 per core, never more than blocks. */
  @Test
  void scoringTasksFollowTheRows() {
    assertEquals(8, BlockedSearch.scoringTasks(100_000, 632, 2));
    assertEquals(150, BlockedSearch.scoringTasks(3_000_000, 3464, 2));
    assertEquals(400, BlockedSearch.scoringTasks(3_000_000, 3464, 100));
    assertEquals(5, BlockedSearch.scoringTasks(40, 5, 8));
  }

  @Test
  void oneBlockIsTheExactSearch() {
    float[][] v = ClusteredVectors.generate(1500, 32, 8);
    assertEquals(IndexedSearch.exact(jsc, v, 0.9, 200), IndexedSearch.blocked(jsc, v, 0.9, 200, 1, 0.5, 1).hits());
  }

  /** A run's search settings pick the search: auto switches above blockedAbove; the blocked path is BlockedSearch. */
  @Test
  void pairSearchRoutesBySize() {
    float[][] v = ClusteredVectors.generate(1200, 32, 5);
    PairSearch auto = new PairSearch(PairSearch.Mode.AUTO, 1000, BlockedSearch.DEFAULT_WIDTH, 0, 9);
    assertTrue(auto.blocked(1001) && !auto.blocked(1000));
    assertEquals(IndexedSearch.blocked(jsc, v, 0.9, 256, 0, BlockedSearch.DEFAULT_WIDTH, 9).hits(),
        IndexedSearch.search(jsc, auto, v, 0.9, 256));
    PairSearch exact = new PairSearch(PairSearch.Mode.AUTO, 5000, BlockedSearch.DEFAULT_WIDTH, 0, 9);
    assertEquals(IndexedSearch.exact(jsc, v, 0.9, 256), IndexedSearch.search(jsc, exact, v, 0.9, 256));
  }

  /**
   * The blocks' tasks score exactly the pairs the probes call for (same home, or either row probing the other's
   * home), each once, and the dot products they report are the cells they multiply. Random homes and probes; every
   * cell passes the threshold, so the hits are the scored pairs.
   */
  @Test
  void blocksScoreEachProbedPairOnce() {
    int n = 700, k = 13, tile = 64, dim = 8;
    Random rnd = new Random(3);
    List<BlockedSearch.Member> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int h = rnd.nextInt(k);
      int[] probes = rnd.ints(rnd.nextInt(4), 0, k).filter(b -> b != h).distinct().sorted().toArray();
      float[] v = new float[dim];
      for (int d = 0; d < dim; d++) v[d] = (float) rnd.nextGaussian();
      rows.add(new BlockedSearch.Member(IndexedSearch.key(i), v, h, probes));
    }
    LongAccumulator dots = jsc.sc().longAccumulator();
    Map<Long, Integer> scored = new HashMap<>();
    for (int b = 0; b < k; b++) {
      int block = b;
      List<BlockedSearch.Member> sent = rows.stream().filter(x -> x.home() == block || x.probesBlock(block)).toList();
      for (PairwiseCosine.Hit h : BlockedSearch.scoreBlock(block, sent, -Float.MAX_VALUE, tile, ComputeDevice.CPU, dots)) {
        int i = Integer.parseInt(h.a()), j = Integer.parseInt(h.b());
        assertTrue(i < j, "a row against itself, or out of order");
        scored.merge(((long) i << 32) | j, 1, Integer::sum);
      }
    }
    assertEquals((long) scored.values().stream().mapToInt(Integer::intValue).sum(), dots.value(), "reported dot products");
    long expected = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        BlockedSearch.Member x = rows.get(i), y = rows.get(j);
        boolean due = x.home() == y.home() || x.probesBlock(y.home()) || y.probesBlock(x.home());
        Integer times = scored.get(((long) i << 32) | j);
        if (due) {
          expected++;
          assertEquals(1, times, "pair " + i + "," + j);
        } else {
          assertEquals(null, times, "pair " + i + "," + j + " is not probed");
        }
      }
    }
    assertEquals(expected, scored.size());
    assertTrue(expected > n * 10L, "test data must call for many pairs: " + expected);
  }

  private static long key(IndexedSearch.Hit h) {
    return ((long) h.i() << 32) | h.j();
  }
}
