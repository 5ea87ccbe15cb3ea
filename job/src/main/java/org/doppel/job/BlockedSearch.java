package org.doppel.job;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Candidate blocking for collections too large for {@link PairwiseCosine}'s exact all-pairs search. The
 * vectors are partitioned by spherical k-means ({@link SphericalKMeans}) after removing their mean direction
 * (embeddings share a strong common component; without centring, a centroid near it is every vector's second
 * choice and its block swallows a large share of the collection). The centroids are trained on the driver over
 * a seeded sample: the vectors are already there and ~64 rows per centroid train in seconds, where Spark would
 * add a job per Lloyd round. Every vector joins the block of its nearest centroid and, multi-probe, those of
 * its next {@code probes - 1} nearest that score within {@link #PROBE_MARGIN} of it, so a pair straddling a
 * block border still meets in a block both joined. Inside each block the pairs are scored exactly with
 * PairwiseCosine's tile kernel (a libtorch matmul, threshold inside the task). A pair found in several blocks
 * is emitted only by the lowest-numbered block both belong to, so each unordered pair comes out once with no
 * shuffle. Assignment and tiles run as Spark tasks; like the exact search, every executor holds the vectors
 * (one broadcast).
 */
public final class BlockedSearch {
  /** Lloyd rounds after k-means++ seeding. */
  static final int ITERATIONS = 10;
  /** Training rows per centroid (k-means needs tens per centroid for stable centroids). */
  static final int SAMPLE_PER_BLOCK = 64;
  /**
   * A vector joins a block after its nearest only if that block's centroid scores at most this much below the
   * nearest one's: vectors deep inside a block stay out of the others (measured: see README, "Blocked search").
   */
  public static final double PROBE_MARGIN = 0.1;
  /** Rows assigned per Spark task. */
  private static final int ASSIGN_ROWS = 8192;

  /** The hits plus what the search cost, for benchmarks and the run summary. */
  public record Result(List<PairwiseCosine.Hit> hits, int blocks, int largestBlock, long pairDots, long overheadDots) {
    /** Dot products spent: pairs scored inside blocks plus centroid training and assignment. */
    public long dotProducts() {
      return pairDots + overheadDots;
    }
  }

  record BlockTile(int block, int rowStart, int rowEnd, int colStart, int colEnd) implements Serializable {}

  private BlockedSearch() {}

  /** Blocks for n vectors when none are given: sqrt(n), the count that balances block count against block size. */
  public static int autoBlocks(int n) {
    return Math.max(1, (int) Math.round(Math.sqrt(n)));
  }

  public static Result pairsAbove(JavaSparkContext jsc, float[][] vectors, double threshold, int tileSize,
                                  int blocks, int probes, long seed) {
    return pairsAbove(jsc, vectors, threshold, tileSize, blocks, probes, PROBE_MARGIN, true, seed);
  }

  public static Result pairsAbove(JavaSparkContext jsc, float[][] vectors, double threshold, int tileSize,
                                  int blocks, int probes, double margin, boolean centre, long seed) {
    int n = vectors.length;
    if (n < 2) return new Result(List.of(), 0, 0, 0, 0);
    int dim = vectors[0].length;
    int k = Math.min(n, blocks > 0 ? blocks : autoBlocks(n));
    int m = Math.max(1, Math.min(probes, k));
    float[] flat = new float[n * dim];
    for (int i = 0; i < n; i++) System.arraycopy(vectors[i], 0, flat, i * dim, dim);

    float[] sample = sample(flat, n, dim, Math.min(n, k * SAMPLE_PER_BLOCK), seed);
    float[] mean = centre ? SphericalKMeans.mean(sample, dim) : new float[dim];
    float[] centroids = SphericalKMeans.train(SphericalKMeans.centred(sample, dim, mean), dim, k, ITERATIONS, seed);
    long overhead = (long) (sample.length / dim) * k * (ITERATIONS + 1) + (long) n * k;

    Broadcast<float[]> matrix = jsc.broadcast(flat);
    Broadcast<float[]> centres = jsc.broadcast(centroids);
    int[] assigned = assign(jsc, matrix, centres, mean, n, dim, m, margin);
    centres.destroy();

    int[][] members = members(assigned, n, m, k);
    List<BlockTile> tiles = new ArrayList<>();
    long pairDots = 0;
    int largest = 0;
    for (int b = 0; b < k; b++) {
      int s = members[b].length;
      largest = Math.max(largest, s);
      pairDots += (long) s * (s - 1) / 2;
      for (int r = 0; r < s; r += tileSize) {
        for (int c = r; c < s; c += tileSize) tiles.add(new BlockTile(b, r, Math.min(s, r + tileSize), c, Math.min(s, c + tileSize)));
      }
    }
    Collections.shuffle(tiles, new Random(seed)); // big blocks' tiles spread over the tasks
    Broadcast<int[][]> blockMembers = jsc.broadcast(members);
    Broadcast<int[]> blocksOf = jsc.broadcast(assigned);
    float t = (float) threshold;
    int slices = Math.max(1, Math.min(tiles.size(), jsc.defaultParallelism() * 4));
    List<PairwiseCosine.Hit> hits = tiles.isEmpty() ? new ArrayList<>() : new ArrayList<>(jsc.parallelize(tiles, slices)
        .flatMap(tile -> scoreTile(matrix.value(), dim, blockMembers.value(), blocksOf.value(), m, tile, t).iterator())
        .collect());
    matrix.destroy();
    blockMembers.destroy();
    blocksOf.destroy();
    hits.sort((x, y) -> x.i() != y.i() ? Integer.compare(x.i(), y.i()) : Integer.compare(x.j(), y.j()));
    return new Result(hits, k, largest, pairDots, overhead);
  }

  /** A seeded sample of rows (all rows when size == n), in row order. */
  static float[] sample(float[] flat, int n, int dim, int size, long seed) {
    if (size >= n) return flat.clone();
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    Random rnd = new Random(seed);
    for (int i = 0; i < size; i++) {
      int j = i + rnd.nextInt(n - i);
      int x = idx[i];
      idx[i] = idx[j];
      idx[j] = x;
    }
    int[] chosen = java.util.Arrays.copyOf(idx, size);
    java.util.Arrays.sort(chosen);
    float[] out = new float[size * dim];
    for (int s = 0; s < size; s++) System.arraycopy(flat, chosen[s] * dim, out, s * dim, dim);
    return out;
  }

  /** Each row's m nearest centroids, best first (n x m, flat), computed by Spark tasks over row ranges. */
  private static int[] assign(JavaSparkContext jsc, Broadcast<float[]> matrix, Broadcast<float[]> centres, float[] mean,
                              int n, int dim, int m, double margin) {
    List<int[]> ranges = new ArrayList<>();
    for (int r = 0; r < n; r += ASSIGN_ROWS) ranges.add(new int[] {r, Math.min(n, r + ASSIGN_ROWS)});
    List<int[]> parts = jsc.parallelize(ranges, Math.max(1, Math.min(ranges.size(), jsc.defaultParallelism() * 2)))
        .map(range -> {
          float[] rows = new float[(range[1] - range[0]) * dim];
          System.arraycopy(matrix.value(), range[0] * dim, rows, 0, rows.length);
          int[] top = SphericalKMeans.topCentroids(SphericalKMeans.centred(rows, dim, mean), dim, centres.value(), m, margin);
          int[] out = new int[top.length + 1];
          out[0] = range[0];
          System.arraycopy(top, 0, out, 1, top.length);
          return out;
        })
        .collect();
    int[] assigned = new int[n * m];
    for (int[] p : parts) System.arraycopy(p, 1, assigned, p[0] * m, p.length - 1);
    return assigned;
  }

  /** Row indices of each block, ascending. */
  static int[][] members(int[] assigned, int n, int m, int k) {
    int[] counts = new int[k];
    for (int a : assigned) if (a >= 0) counts[a]++;
    int[][] out = new int[k][];
    for (int b = 0; b < k; b++) out[b] = new int[counts[b]];
    int[] fill = new int[k];
    for (int i = 0; i < n; i++) {
      for (int p = 0; p < m; p++) {
        int b = assigned[i * m + p];
        if (b >= 0) out[b][fill[b]++] = i;
      }
    }
    return out;
  }

  static List<PairwiseCosine.Hit> scoreTile(float[] flat, int dim, int[][] members, int[] blocksOf, int m, BlockTile tile,
                                            float threshold) {
    int[] ids = members[tile.block()];
    float[] a = gather(flat, dim, ids, tile.rowStart(), tile.rowEnd());
    float[] b = gather(flat, dim, ids, tile.colStart(), tile.colEnd());
    boolean diagonal = tile.rowStart() == tile.colStart();
    List<PairwiseCosine.Hit> out = new ArrayList<>();
    PairwiseCosine.scoreBlock(a, tile.rowEnd() - tile.rowStart(), b, tile.colEnd() - tile.colStart(), dim, threshold,
        (r, c, score) -> {
          if (diagonal && r >= c) return;
          int i = ids[tile.rowStart() + r], j = ids[tile.colStart() + c]; // ids ascend, so i < j
          if (firstSharedBlock(blocksOf, m, i, j) == tile.block()) out.add(new PairwiseCosine.Hit(i, j, score));
        });
    return out;
  }

  /** The lowest-numbered block rows i and j both belong to: the one block that reports their pair. */
  static int firstSharedBlock(int[] blocksOf, int m, int i, int j) {
    int first = Integer.MAX_VALUE;
    for (int p = 0; p < m; p++) {
      int b = blocksOf[i * m + p];
      if (b < 0 || b >= first) continue;
      for (int q = 0; q < m; q++) {
        if (blocksOf[j * m + q] == b) {
          first = b;
          break;
        }
      }
    }
    return first;
  }

  private static float[] gather(float[] flat, int dim, int[] ids, int from, int to) {
    float[] out = new float[(to - from) * dim];
    for (int r = from; r < to; r++) System.arraycopy(flat, ids[r] * dim, out, (r - from) * dim, dim);
    return out;
  }
}
