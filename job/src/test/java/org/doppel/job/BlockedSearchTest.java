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
      BlockedSearch.Result blocked = BlockedSearch.pairsAbove(jsc, v, threshold, 1024, 0, 2, 42);
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
    BlockedSearch.Result a = BlockedSearch.pairsAbove(jsc, v, 0.9, 256, 0, 3, 7);
    BlockedSearch.Result b = BlockedSearch.pairsAbove(jsc, v, 0.9, 256, 0, 3, 7);
    assertEquals(a.hits(), b.hits());
    assertTrue(!a.hits().isEmpty());
  }

  @Test
  void oneBlockIsTheExactSearch() {
    float[][] v = ClusteredVectors.generate(1500, 32, 8);
    assertEquals(PairwiseCosine.pairsAbove(jsc, v, 0.9, 200), BlockedSearch.pairsAbove(jsc, v, 0.9, 200, 1, 1, 1).hits());
  }

  private static long key(PairwiseCosine.Hit h) {
    return ((long) h.i() << 32) | h.j();
  }
}
