package org.doppel.job.candidates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.doppel.job.SparkTestSession;
import org.doppel.job.bench.IndexedSearch;
import org.doppel.job.decide.PassageAligner;
import org.junit.jupiter.api.Test;

/** The tiled libtorch pairwise stage returns exactly the pairs a brute-force double loop finds. */
class PairwiseCosineTest {
  @Test
  void tiledMatchesBruteForceAcrossTileBorders() {
    Random rnd = new Random(7);
    int n = 300, dim = 24;
    float[][] v = new float[n][dim];
    for (int i = 0; i < n; i++) {
      // clusters of near-identical vectors so some pairs cross the threshold, some straddle tile borders
      float[] base = i % 10 == 0 || i < 1 ? randomUnit(rnd, dim) : v[i - 1];
      for (int d = 0; d < dim; d++) v[i][d] = base[d] + (float) rnd.nextGaussian() * 0.05f;
      normalise(v[i]);
    }
    double threshold = 0.9;
    List<IndexedSearch.Hit> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = PassageAligner.dot(v[i], v[j]);
        if (s >= threshold) expected.add(new IndexedSearch.Hit(i, j, (float) s));
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    List<IndexedSearch.Hit> got = IndexedSearch.exact(jsc, v, threshold, 64);
    assertEquals(expected.size(), IndexedSearch.exact(jsc, v, threshold, 7).size(), "tiles of a few rows inside each block");
    assertEquals(expected.size(), got.size());
    assertEquals(true, expected.size() > n, "test data must produce many pairs");
    for (int k = 0; k < got.size(); k++) {
      assertEquals(expected.get(k).i(), got.get(k).i());
      assertEquals(expected.get(k).j(), got.get(k).j());
      assertEquals(expected.get(k).score(), got.get(k).score(), 1e-5);
    }
  }

  private static float[] randomUnit(Random rnd, int dim) {
    float[] x = new float[dim];
    for (int d = 0; d < dim; d++) x[d] = (float) rnd.nextGaussian();
    normalise(x);
    return x;
  }

  private static void normalise(float[] x) {
    double s = 0;
    for (float f : x) s += f * f;
    for (int d = 0; d < x.length; d++) x[d] /= (float) Math.sqrt(s);
  }
}
