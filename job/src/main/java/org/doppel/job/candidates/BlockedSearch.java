package org.doppel.job.candidates;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.doppel.job.data.TextVector;
import org.doppel.job.exec.PerExecutor;
import org.doppel.model.ComputeDevice;
import org.doppel.model.CosineTiles;
import scala.Tuple2;

/**
 * Candidate blocking for collections too large for {@link PairwiseCosine}'s exact all-pairs search: an
 * inverted-file join with threshold-aware probing.
 *
 * <ol>
 *   <li><b>Blocks.</b> Spherical k-means ({@link SphericalKMeans}) on the vectors minus their mean direction
 *       (embeddings share a strong common component; without centring one block near it swallows a large share
 *       of the collection). Centroids are seeded and trained on the driver over a small sample, then refined on
 *       all rows by Spark tasks: each row keeps its {@link #CANDIDATES} nearest centroids from one full pass, and
 *       each refinement round recomputes the centroids from their members and re-ranks only those candidates
 *       (measured: the same recall for a fifth fewer dot products than more Lloyd rounds on a bigger sample).</li>
 *   <li><b>Homes and probes.</b> Every row lives in one block, its nearest (its home), and also searches the
 *       members of the blocks whose centroid scores within a margin of its home's. The margin follows from the
 *       threshold. Write a unit row as x = mean + r. Then cosine(a, b) >= t needs centred rows
 *       u = r / |r| with 1 - u_a.u_b <= (1 - t) / |r|^2 (for |r_a| = |r_b|), and any centroid's scores for u_a
 *       and u_b differ by at most |u_a - u_b| = sqrt(2 (1 - t)) / |r|. The margin is {@code width} times that
 *       bound: a row near the mean direction (small |r|, a generic text with neighbours all around it) searches
 *       wider, and a higher threshold narrower. Width 2 would miss nothing; typical differences are far below
 *       the bound.</li>
 *   <li><b>Scoring.</b> Each row is shuffled to its home block and to every block it probes, so each block's task
 *       holds its home rows and the rows that probe it; only the centroids (k x dim) are broadcast. A pair (a, b)
 *       is scored when both share a home (in that block's task), or when a probes b's home or b probes a's: once,
 *       in the task of the block probed, or of the lower-numbered of the two when each probes the other's
 *       ({@link #scoreBlock}). Products are the tile kernel {@link CosineTiles} (a libtorch matmul on the executor's
 *       CPU or GPU, threshold inside the task).</li>
 * </ol>
 * The saving counts every dot product: centroid training, the full pass, refinement rounds and pairs. The driver
 * holds the sample, the centroids and per-block counts, none of which grows faster than sqrt(n).
 */
public final class BlockedSearch {
  /** Lloyd rounds on the driver's sample, after k-means++ seeding. */
  static final int ITERATIONS = 2;
  /** Sample rows per centroid for the driver's training (refinement on all rows does the rest). */
  static final int SAMPLE_PER_BLOCK = 8;
  /**
   * Rounds of centroid refinement over all rows. Each re-ranks only a row's first {@link #REFINE_CANDIDATES}
   * candidates (its home is among them), the last one all {@link #CANDIDATES}, for the probes' margins.
   */
  static final int REFINE_ROUNDS = 4;
  static final int REFINE_CANDIDATES = 16;
  /** Centroids kept per row after the full pass: the blocks a row can probe. */
  static final int CANDIDATES = 64;
  /**
   * Probe width: a row probes the blocks whose centroids score within {@code width * sqrt(2 (1 - t)) / |r|} of
   * its home's. 0.27 keeps 0.9968 of the pairs at cosine 0.80 for 10.5x fewer dot products on 52,324 real
   * document vectors, and 0.9952 for 12.9x on 79,620 (BENCHMARKS.md, "Blocked search on real document vectors").
   */
  public static final double DEFAULT_WIDTH = 0.27;
  /**
   * Home rows per block-scoring task. A task holds its blocks' members, homes and probers (a few times as many), so
   * this bounds a task's memory (about 100-200 MB of 384-d vectors) whatever n and however many cores there are.
   */
  static final int HOME_ROWS_PER_TASK = 20_000;
  /** Rows scored against the centroids in one libtorch pass. */
  private static final int ROWS_PER_SLICE = 4096;

  /**
   * The hits (lazy: the counters fill as they are computed) plus what the search costs: {@code pairDots} counts the
   * dot products of pairs, {@code overheadDots} those of training, assignment and refinement.
   */
  public record Result(JavaRDD<PairwiseCosine.Hit> hits, int blocks, int largestBlock, LongAccumulator pairDots,
                       long overheadDots, Runnable release) {
    /** Dot products spent (read after the hits were computed). */
    public long dotProducts() {
      return pairDots.value() + overheadDots;
    }
  }

  /** Some rows with their candidate centroids, best first ({@code m} per row, flat), and the scores. */
  record Candidates(String[] keys, float[] flat, int dim, int m, int[] ids, float[] scores) implements Serializable {
    int rows() {
      return keys.length;
    }
  }

  /** A row sent to a block's task: its key, vector, home block and the blocks it probes (ascending). */
  record Member(String key, float[] vector, int home, int[] probes) implements Serializable {
    boolean probesBlock(int b) {
      return Arrays.binarySearch(probes, b) >= 0;
    }
  }

  private BlockedSearch() {}

  /**
   * Blocks for n vectors when none are given: 2 sqrt(n). Assignment costs n k dot products and pairs about n^2
   * probes / k. Measured on 52K real vectors at recall 0.995-0.996 (with the earlier (1 - t) / r^2 margin): 229
   * blocks (sqrt(n)) needed 10.2x fewer dot products than exact, 400 blocks 10.9x, 457 11.1x.
   */
  public static int autoBlocks(long n) {
    return (int) Math.max(1, Math.round(2 * Math.sqrt(n)));
  }

  /**
   * Pairs of keys with cosine >= threshold among those the blocks bring together.
   *
   * @param n      how many vectors there are
   * @param blocks k-means blocks, 0 = {@link #autoBlocks}
   * @param width  probe width ({@link #DEFAULT_WIDTH}); larger finds more pairs for more dot products
   * @param device where the blocks' products run (the executor's GPU with {@code auto} when it has one)
   */
  public static Result pairsAbove(JavaRDD<TextVector> vectors, long n, int dim, double threshold, int tileSize,
                                  int blocks, double width, long seed, ComputeDevice device) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(vectors.context());
    LongAccumulator pairDots = jsc.sc().longAccumulator("blocked search pair dot products");
    if (n < 2) return new Result(jsc.emptyRDD(), 0, 0, pairDots, 0, () -> {});
    int k = (int) Math.min(n, blocks > 0 ? blocks : autoBlocks(n));
    int m = Math.min(CANDIDATES, k);

    Trained trained = train(vectors, n, dim, k, seed);
    float[] mean = trained.mean();
    float[] centroids = trained.centroids();
    long overhead = trained.sampleRows() * k * (ITERATIONS + 1);

    List<Broadcast<?>> spent = new ArrayList<>();
    Broadcast<float[]> first = jsc.broadcast(centroids);
    spent.add(first);
    JavaRDD<Candidates> candidates = vectors.mapPartitions(it -> nearest(it, dim, mean, first.value(), m).iterator())
        .persist(StorageLevel.MEMORY_AND_DISK());
    overhead += n * k;
    for (int round = 0; round < REFINE_ROUNDS && m > 1; round++) {
      long[] sums = candidates.map(c -> homeSums(c, mean, k)).treeReduce(BlockedSearch::add);
      centroids = refreshed(sums, centroids, dim);
      Broadcast<float[]> current = jsc.broadcast(centroids);
      spent.add(current);
      int upTo = round + 1 < REFINE_ROUNDS ? Math.min(m, REFINE_CANDIDATES) : m;
      JavaRDD<Candidates> next = candidates.map(c -> reranked(c, mean, current.value(), upTo))
          .persist(StorageLevel.MEMORY_AND_DISK());
      next.count(); // materialise before the previous round is dropped, or it would be recomputed from lineage
      candidates.unpersist();
      candidates = next;
      overhead += n * upTo;
    }
    double reach = width * Math.sqrt(2 * Math.max(0, 1 - threshold));
    JavaPairRDD<Integer, Member> sent = candidates.flatMapToPair(c -> members(c, mean, reach).iterator());
    Map<Integer, Long> homes = candidates.flatMap(c -> {
      List<Integer> h = new ArrayList<>(c.rows());
      for (int r = 0; r < c.rows(); r++) h.add(c.ids()[r * c.m()]);
      return h.iterator();
    }).countByValue();
    int largest = (int) homes.values().stream().mapToLong(Long::longValue).max().orElse(0);
    float t = (float) threshold;
    int slices = scoringTasks(n, k, jsc.defaultParallelism());
    JavaRDD<PairwiseCosine.Hit> hits = sent.groupByKey(slices)
        .flatMap(kv -> scoreBlock(kv._1(), kv._2(), t, tileSize, device, pairDots).iterator());
    JavaRDD<Candidates> held = candidates;
    return new Result(hits, k, largest, pairDots, overhead, () -> {
      held.unpersist();
      spent.forEach(Broadcast::destroy);
    });
  }

  /** Block-scoring tasks: enough that each holds about {@link #HOME_ROWS_PER_TASK} home rows, at least 4 per core. */
  static int scoringTasks(long n, int k, int parallelism) {
    long byRows = (n + HOME_ROWS_PER_TASK - 1) / HOME_ROWS_PER_TASK;
    return (int) Math.max(1, Math.min(k, Math.max(4L * parallelism, byRows)));
  }

  /** The mean direction and the first centroids, trained on a sample of {@code SAMPLE_PER_BLOCK} rows per block. */
  record Trained(float[] mean, float[] centroids, long sampleRows) {}

  /**
   * Seeds and trains the centroids on the driver; the sample is garbage once this returns. The sample is the rows whose
   * key hashes (with the seed) below {@code k SAMPLE_PER_BLOCK / n}, in key order: the same rows however the vectors
   * are partitioned, so a cluster and a local run block alike.
   */
  private static Trained train(JavaRDD<TextVector> vectors, long n, int dim, int k, long seed) {
    double fraction = Math.min(1.0, (double) k * SAMPLE_PER_BLOCK / n);
    List<TextVector> sampled = new ArrayList<>(vectors.filter(v -> unit(v.textSha256(), seed) < fraction).collect());
    sampled.sort(Comparator.comparing(TextVector::textSha256));
    float[] sample = new float[sampled.size() * dim];
    for (int i = 0; i < sampled.size(); i++) System.arraycopy(sampled.get(i).vector(), 0, sample, i * dim, dim);
    float[] mean = SphericalKMeans.mean(sample, dim);
    float[] centroids = SphericalKMeans.train(SphericalKMeans.centred(sample, dim, mean), dim, k, ITERATIONS, seed);
    return new Trained(mean, centroids, sampled.size());
  }

  /** The full pass: each row's {@code m} nearest centroids of all, a slice of rows at a time. */
  static List<Candidates> nearest(Iterator<TextVector> rows, int dim, float[] mean, float[] centroids, int m) {
    List<Candidates> out = new ArrayList<>();
    List<TextVector> slice = new ArrayList<>(ROWS_PER_SLICE);
    while (rows.hasNext()) {
      slice.add(rows.next());
      if (slice.size() == ROWS_PER_SLICE || !rows.hasNext()) {
        String[] keys = new String[slice.size()];
        float[] flat = new float[slice.size() * dim];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = slice.get(i).textSha256();
          System.arraycopy(slice.get(i).vector(), 0, flat, i * dim, dim);
        }
        SphericalKMeans.Top top = SphericalKMeans.top(SphericalKMeans.centred(flat, dim, mean), dim, centroids, m);
        out.add(new Candidates(keys, flat, dim, m, top.ids(), top.scores()));
        slice.clear();
      }
    }
    return out;
  }

  /** A key's place in [0, 1) for the seed: SplitMix64's finaliser over a 64-bit polynomial hash of the key. */
  static double unit(String key, long seed) {
    long h = seed;
    for (int i = 0; i < key.length(); i++) h = 31 * h + key.charAt(i);
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return ((h ^ (h >>> 31)) >>> 11) * 0x1.0p-53;
  }

  /** Fixed-point scale of the member sums (components of unit rows are in [-1, 1]). */
  private static final double SUM_SCALE = 0x1.0p32;

  /**
   * Per block, the sum of its home rows (centred), flat {@code k x dim}, in fixed point: integer sums are the same in
   * any order, so the refined centroids do not depend on how rows are partitioned or which task finishes first.
   */
  static long[] homeSums(Candidates c, float[] mean, int k) {
    int dim = c.dim();
    long[] sums = new long[k * dim];
    float[] row = new float[dim];
    for (int r = 0; r < c.rows(); r++) {
      centredRow(c.flat(), dim, mean, r, row);
      int at = c.ids()[r * c.m()] * dim;
      for (int d = 0; d < dim; d++) sums[at + d] += Math.round(row[d] * SUM_SCALE);
    }
    return sums;
  }

  static long[] add(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) a[i] += b[i];
    return a;
  }

  /** New centroids: each block's normalised member sum; a block left without members keeps its centroid. */
  static float[] refreshed(long[] sums, float[] old, int dim) {
    float[] out = new float[old.length];
    for (int c = 0; c < old.length / dim; c++) {
      boolean empty = true;
      for (int d = 0; d < dim; d++) {
        out[c * dim + d] = (float) (sums[c * dim + d] / SUM_SCALE);
        empty &= sums[c * dim + d] == 0;
      }
      if (empty) System.arraycopy(old, c * dim, out, c * dim, dim);
      else SphericalKMeans.normalise(out, c * dim, dim);
    }
    return out;
  }

  /**
   * A refinement round: each row's first {@code upTo} candidates rescored against the new centroids and
   * re-ranked, best first; the others keep their place and score.
   */
  static Candidates reranked(Candidates c, float[] mean, float[] centroids, int upTo) {
    int m = c.m(), dim = c.dim();
    int[] ids = c.ids().clone();
    float[] scores = c.scores().clone();
    float[] row = new float[dim];
    Integer[] order = new Integer[upTo];
    float[] s = new float[upTo];
    for (int r = 0; r < c.rows(); r++) {
      centredRow(c.flat(), dim, mean, r, row);
      for (int p = 0; p < upTo; p++) {
        s[p] = dot(row, centroids, c.ids()[r * m + p] * dim, dim);
        order[p] = p;
      }
      Arrays.sort(order, (x, y) -> Float.compare(s[y], s[x]));
      for (int p = 0; p < upTo; p++) {
        ids[r * m + p] = c.ids()[r * m + order[p]];
        scores[r * m + p] = s[order[p]];
      }
    }
    return new Candidates(c.keys(), c.flat(), dim, m, ids, scores);
  }

  /**
   * Each row as it is sent to the blocks' tasks: to its home, and to every candidate block whose score is within its
   * margin {@code reach / |r|} of the home's.
   */
  static List<Tuple2<Integer, Member>> members(Candidates c, float[] mean, double reach) {
    int m = c.m(), dim = c.dim();
    List<Tuple2<Integer, Member>> out = new ArrayList<>();
    for (int r = 0; r < c.rows(); r++) {
      double r2 = 0;
      for (int d = 0; d < dim; d++) {
        double x = c.flat()[r * dim + d] - mean[d];
        r2 += x * x;
      }
      double floor = c.scores()[r * m] - reach / Math.sqrt(Math.max(r2, 1e-12));
      int home = c.ids()[r * m];
      int used = 0;
      int[] probes = new int[m - 1];
      for (int p = 1; p < m && c.scores()[r * m + p] >= floor; p++) probes[used++] = c.ids()[r * m + p];
      probes = Arrays.copyOf(probes, used);
      Arrays.sort(probes);
      Member row = new Member(c.keys()[r], Arrays.copyOfRange(c.flat(), r * dim, (r + 1) * dim), home, probes);
      out.add(new Tuple2<>(home, row));
      for (int b : probes) out.add(new Tuple2<>(b, row));
    }
    return out;
  }

  /**
   * One block's task: its home rows with each other, and each row that probes it with its home rows, once. A pair of
   * a row x from block a that probes this block b and a home row y of b is also a candidate of a's task when y
   * probes a; it is kept here unless y probes a and a < b (then a's task keeps it), so exactly once. All probers go
   * through one product with the home rows (a few thick tiles, not one thin product per prober block); the rule is
   * applied to the cells that pass the threshold.
   *
   * @param dots counts the dot products of the pairs considered (cells the rule gives to another task not included)
   */
  static List<PairwiseCosine.Hit> scoreBlock(int block, Iterable<Member> rows, float threshold, int tileSize,
                                             ComputeDevice device, LongAccumulator dots) {
    List<Member> home = new ArrayList<>();
    List<Member> probers = new ArrayList<>();
    for (Member x : rows) (x.home() == block ? home : probers).add(x);
    List<PairwiseCosine.Hit> out = new ArrayList<>();
    if (home.isEmpty()) return out;
    probers.sort(Comparator.comparingInt(Member::home).thenComparing(Member::key)); // same tiles every run
    int dim = home.get(0).vector().length;
    long spent = (long) home.size() * (home.size() - 1) / 2;
    Map<Integer, Long> keptByHome = new TreeMap<>();
    for (Member x : probers) {
      spent += keptByHome.computeIfAbsent(x.home(),
          a -> a < block ? home.stream().filter(y -> !y.probesBlock(a)).count() : (long) home.size());
    }
    try (CosineTiles tiles = PerExecutor.tiles(device)) {
      int tile = tiles.tileRows(tileSize);
      score(tiles, home, home, true, dim, threshold, tile, (x, y) -> true, out);
      score(tiles, probers, home, false, dim, threshold, tile, (x, y) -> {
        int a = probers.get(x).home();
        return a > block || !home.get(y).probesBlock(a);
      }, out);
    }
    dots.add(spent);
    return out;
  }

  /** Whether the cell of row x and column y is this task's to report. */
  private interface CellRule {
    boolean keep(int row, int col);
  }

  /**
   * Rows x cols in tiles (each column tile gathered once); with {@code upper}, rows == cols and only cells above the
   * diagonal count.
   */
  private static void score(CosineTiles tiles, List<Member> rows, List<Member> cols, boolean upper, int dim, float t,
                            int tileSize, CellRule rule, List<PairwiseCosine.Hit> out) {
    List<float[]> colTiles = new ArrayList<>();
    for (int c = 0; c < cols.size(); c += tileSize) colTiles.add(gather(cols, c, Math.min(cols.size(), c + tileSize), dim));
    for (int r = 0; r < rows.size(); r += tileSize) {
      int rEnd = Math.min(rows.size(), r + tileSize);
      float[] a = upper ? colTiles.get(r / tileSize) : gather(rows, r, rEnd, dim); // upper: rows are the columns
      for (int c = upper ? r : 0; c < cols.size(); c += tileSize) {
        int cEnd = Math.min(cols.size(), c + tileSize);
        int r0 = r, c0 = c;
        boolean diagonal = upper && r == c;
        tiles.score(a, rEnd - r, colTiles.get(c / tileSize), cEnd - c, dim, t, (x, y, s) -> {
          if ((diagonal && x >= y) || !rule.keep(r0 + x, c0 + y)) return;
          out.add(PairwiseCosine.Hit.of(rows.get(r0 + x).key(), cols.get(c0 + y).key(), s));
        });
      }
    }
  }

  /** {@code row . centroids[at..at+dim)} with four running sums (independent chains the JIT pipelines). */
  private static float dot(float[] row, float[] centroids, int at, int dim) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int d = 0;
    for (; d + 3 < dim; d += 4) {
      s0 += row[d] * centroids[at + d];
      s1 += row[d + 1] * centroids[at + d + 1];
      s2 += row[d + 2] * centroids[at + d + 2];
      s3 += row[d + 3] * centroids[at + d + 3];
    }
    for (; d < dim; d++) s0 += row[d] * centroids[at + d];
    return (s0 + s1) + (s2 + s3);
  }

  private static void centredRow(float[] flat, int dim, float[] mean, int row, float[] out) {
    for (int d = 0; d < dim; d++) out[d] = flat[row * dim + d] - mean[d];
    SphericalKMeans.normalise(out, 0, dim);
  }

  private static float[] gather(List<Member> rows, int from, int to, int dim) {
    float[] out = new float[(to - from) * dim];
    for (int r = from; r < to; r++) System.arraycopy(rows.get(r).vector(), 0, out, (r - from) * dim, dim);
    return out;
  }
}
