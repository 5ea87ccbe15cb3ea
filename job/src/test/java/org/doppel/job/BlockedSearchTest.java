package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.doppel.job.bench.ClusteredVectors;
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
      List<PairwiseCosine.Hit> exact = PairwiseCosine.pairsAbove(jsc, v, threshold, 1024);
      BlockedSearch.Result blocked = BlockedSearch.pairsAbove(jsc, v, threshold, 1024, 0, BlockedSearch.DEFAULT_WIDTH, 42);
      Map<Long, Float> truth = new HashMap<>();
      for (PairwiseCosine.Hit h : exact) truth.put(key(h), h.score());
      Map<Long, Float> seen = new HashMap<>();
      for (PairwiseCosine.Hit h : blocked.hits()) {
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
    BlockedSearch.Result a = BlockedSearch.pairsAbove(jsc, v, 0.9, 256, 0, 1.0, 7);
    BlockedSearch.Result b = BlockedSearch.pairsAbove(jsc, v, 0.9, 256, 0, 1.0, 7);
    assertEquals(a.hits(), b.hits());
    assertTrue(!a.hits().isEmpty());
  }

  @Test
  void oneBlockIsTheExactSearch() {
    float[][] v = ClusteredVectors.generate(1500, 32, 8);
    assertEquals(PairwiseCosine.pairsAbove(jsc, v, 0.9, 200), BlockedSearch.pairsAbove(jsc, v, 0.9, 200, 1, 0.5, 1).hits());
  }

  /** A run's search settings pick the search: auto switches above blockedAbove; the blocked path is BlockedSearch. */
  @Test
  void pairSearchRoutesBySize() {
    float[][] v = ClusteredVectors.generate(1200, 32, 5);
    PairSearch auto = new PairSearch(PairSearch.Mode.AUTO, 1000, BlockedSearch.DEFAULT_WIDTH, 0, 9);
    assertTrue(auto.blocked(1001) && !auto.blocked(1000));
    assertEquals(BlockedSearch.pairsAbove(jsc, v, 0.9, 256, 0, BlockedSearch.DEFAULT_WIDTH, 9).hits(), auto.pairsAbove(jsc, v, 0.9, 256));
    PairSearch exact = new PairSearch(PairSearch.Mode.AUTO, 5000, BlockedSearch.DEFAULT_WIDTH, 0, 9);
    assertEquals(PairwiseCosine.pairsAbove(jsc, v, 0.9, 256), exact.pairsAbove(jsc, v, 0.9, 256));
  }

  /**
   * The plan scores exactly the pairs the probes call for (same home, or either row probing the other's home),
   * each once, and the dot products it reports are the cells its work multiplies. Random homes and probes,
   * given as two parts out of row order.
   */
  @Test
  void planScoresEachProbedPairOnce() {
    int n = 700, k = 13, tile = 64;
    java.util.Random rnd = new java.util.Random(3);
    int[] home = new int[n];
    List<int[]> probes = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      home[i] = rnd.nextInt(k);
      int h = home[i];
      probes.add(rnd.ints(rnd.nextInt(4), 0, k).filter(b -> b != h).distinct().toArray());
    }
    List<BlockedSearch.Probes> parts = List.of(part(home, probes, 400, n), part(home, probes, 0, 400));
    BlockedSearch.Layout layout = BlockedSearch.layout(parts, n, k);
    List<BlockedSearch.Work> work = new java.util.ArrayList<>();
    long dots = BlockedSearch.plan(layout, k, tile, work);

    Map<Long, Integer> scored = new HashMap<>();
    long cells = 0;
    for (BlockedSearch.Work w : work) {
      int[][] rc = BlockedSearch.operands(layout, w);
      boolean diagonal = w.kind() == BlockedSearch.Work.Kind.TILE && w.rowStart() == w.colStart();
      for (int r = 0; r < rc[0].length; r++) {
        for (int c = diagonal ? r + 1 : 0; c < rc[1].length; c++) {
          int i = Math.min(rc[0][r], rc[1][c]), j = Math.max(rc[0][r], rc[1][c]);
          assertTrue(i != j, "a row against itself");
          scored.merge(((long) i << 32) | j, 1, Integer::sum);
          cells++;
        }
      }
    }
    assertEquals(dots, cells, "reported dot products");
    long expected = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int hi = home[i], hj = home[j];
        boolean due = hi == hj || contains(probes.get(i), hj) || contains(probes.get(j), hi);
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

  private static BlockedSearch.Probes part(int[] home, List<int[]> probes, int from, int to) {
    int[] offsets = new int[to - from + 1];
    List<Integer> blocks = new java.util.ArrayList<>();
    for (int i = from; i < to; i++) {
      for (int b : probes.get(i)) blocks.add(b);
      offsets[i - from + 1] = blocks.size();
    }
    return new BlockedSearch.Probes(from, java.util.Arrays.copyOfRange(home, from, to), offsets,
        blocks.stream().mapToInt(Integer::intValue).toArray());
  }

  private static boolean contains(int[] xs, int x) {
    for (int v : xs) if (v == x) return true;
    return false;
  }

  private static long key(PairwiseCosine.Hit h) {
    return ((long) h.i() << 32) | h.j();
  }
}
