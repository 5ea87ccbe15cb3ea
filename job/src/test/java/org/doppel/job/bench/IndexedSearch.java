package org.doppel.job.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.doppel.job.candidates.BlockedSearch;
import org.doppel.job.candidates.PairSearch;
import org.doppel.job.candidates.PairwiseCosine;
import org.doppel.job.data.TextVector;
import org.doppel.model.ComputeDevice;

/**
 * The searches over rows of a matrix, for tests and benchmarks that think in row numbers: row i is keyed
 * {@code %09d} (keys sort like the rows), and hits come back as sorted (i, j) pairs.
 */
public final class IndexedSearch {
  /** A pair of rows (i < j) and their cosine. */
  public record Hit(int i, int j, float score) {}

  /** A blocked search's hits and what it cost. */
  public record Blocked(List<Hit> hits, int blocks, int largestBlock, long pairDots, long overheadDots) {
    public long dotProducts() {
      return pairDots + overheadDots;
    }
  }

  private IndexedSearch() {}

  public static String key(int i) {
    return String.format("%09d", i);
  }

  public static JavaRDD<TextVector> rows(JavaSparkContext jsc, float[][] v) {
    List<TextVector> out = new ArrayList<>(v.length);
    for (int i = 0; i < v.length; i++) out.add(new TextVector(key(i), v[i], 1, 0));
    return jsc.parallelize(out, Math.max(1, Math.min(v.length / 256 + 1, jsc.defaultParallelism() * 2)));
  }

  public static List<Hit> exact(JavaSparkContext jsc, float[][] v, double threshold, int tileSize) {
    if (v.length < 2) return List.of();
    return sorted(PairwiseCosine.pairsAbove(rows(jsc, v), v.length, v[0].length, threshold, tileSize,
        ComputeDevice.AUTO).collect());
  }

  public static Blocked blocked(JavaSparkContext jsc, float[][] v, double threshold, int tileSize, int blocks,
                                double width, long seed) {
    return blocked(rows(jsc, v), v, threshold, tileSize, blocks, width, seed);
  }

  /** As above over the rows of v given as an RDD (any order and partitioning). */
  public static Blocked blocked(JavaRDD<TextVector> rows, float[][] v, double threshold, int tileSize, int blocks,
                                double width, long seed) {
    BlockedSearch.Result r = BlockedSearch.pairsAbove(rows, v.length, v.length == 0 ? 0 : v[0].length,
        threshold, tileSize, blocks, width, seed, ComputeDevice.AUTO);
    List<Hit> hits = sorted(r.hits().collect());
    r.release().run();
    return new Blocked(hits, r.blocks(), r.largestBlock(), r.pairDots().value(), r.overheadDots());
  }

  /** The search a run's settings pick, and its hits. */
  public static List<Hit> search(JavaSparkContext jsc, PairSearch search, float[][] v, double threshold, int tileSize) {
    PairSearch.Found found = search.pairsAbove(rows(jsc, v), v.length, threshold, tileSize);
    List<Hit> hits = sorted(found.hits().collect());
    found.release();
    return hits;
  }

  static List<Hit> sorted(List<PairwiseCosine.Hit> hits) {
    List<Hit> out = new ArrayList<>(hits.size());
    for (PairwiseCosine.Hit h : hits) out.add(new Hit(Integer.parseInt(h.a()), Integer.parseInt(h.b()), h.score()));
    out.sort(Comparator.comparingInt(Hit::i).thenComparingInt(Hit::j));
    return out;
  }
}
