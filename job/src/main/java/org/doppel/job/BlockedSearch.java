package org.doppel.job;

import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

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
 *   <li><b>Scoring.</b> A pair (a, b) is scored when both share a home, or when a probes b's home, or b probes
 *       a's: once, in one of three kinds of work ({@link Work}), no pair scored twice and no shuffle. Products
 *       are PairwiseCosine's tile kernel (a libtorch matmul, threshold inside the task).</li>
 * </ol>
 * The saving counts every dot product: centroid training, the full pass, refinement rounds and pairs.
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
  /** Rows per Spark task in the assignment and refinement passes. */
  private static final int ROWS_PER_TASK = 8192;

  /** The hits plus what the search cost, for benchmarks and the run summary. */
  public record Result(List<PairwiseCosine.Hit> hits, int blocks, int largestBlock, long pairDots, long overheadDots) {
    /** Dot products spent: pairs scored plus centroid training, assignment and refinement. */
    public long dotProducts() {
      return pairDots + overheadDots;
    }
  }

  /** Rows {@code start..} with their candidate centroids, best first ({@code m} per row, flat), and scores. */
  record Candidates(int start, int m, int[] ids, float[] scores) implements Serializable {
    int rows() {
      return ids.length / m;
    }
  }

  /** Rows {@code start..}: each row's home block and the other blocks it probes ({@code blocks[offsets[r]..offsets[r+1])}). */
  record Probes(int start, int[] home, int[] offsets, int[] blocks) implements Serializable {}

  /**
   * One scoring task. {@code TILE}: block {@code rowBlock}'s members {@code rowStart..rowEnd} x
   * {@code colStart..colEnd} (a tile of its upper triangle). {@code INTO}: the rows of lower-numbered blocks that
   * probe block {@code colBlock}, x all its members. {@code BACK}: the members of {@code rowBlock} that do not
   * probe {@code colBlock} (higher-numbered), x the members of {@code colBlock} that probe {@code rowBlock}.
   */
  record Work(Kind kind, int rowBlock, int colBlock, int rowStart, int rowEnd, int colStart, int colEnd) implements Serializable {
    enum Kind { TILE, INTO, BACK }
  }

  /** Each block's home rows, each row's home and probed blocks, and each block's probing rows (all ascending). */
  record Layout(int[][] members, int[] home, int[] offsets, int[] blocks, int[][] probedBy) implements Serializable {
    boolean probes(int row, int block) {
      for (int p = offsets[row]; p < offsets[row + 1]; p++) if (blocks[p] == block) return true;
      return false;
    }
  }

  private BlockedSearch() {}

  /**
   * Blocks for n vectors when none are given: 2 sqrt(n). Assignment costs n k dot products and pairs about n^2
   * probes / k. Measured on 52K real vectors at recall 0.995-0.996 (with the earlier (1 - t) / r^2 margin): 229
   * blocks (sqrt(n)) needed 10.2x fewer dot products than exact, 400 blocks 10.9x, 457 11.1x.
   */
  public static int autoBlocks(int n) {
    return Math.max(1, (int) Math.round(2 * Math.sqrt(n)));
  }

  /**
   * Pairs of rows (i < j, sorted) with cosine >= threshold among those the blocks bring together.
   *
   * @param blocks k-means blocks, 0 = {@link #autoBlocks}
   * @param width probe width ({@link #DEFAULT_WIDTH}); larger finds more pairs for more dot products
   */
  public static Result pairsAbove(JavaSparkContext jsc, float[][] vectors, double threshold, int tileSize,
                                  int blocks, double width, long seed) {
    int n = vectors.length;
    if (n < 2) return new Result(List.of(), 0, 0, 0, 0);
    int dim = vectors[0].length;
    int k = Math.min(n, blocks > 0 ? blocks : autoBlocks(n));
    int m = Math.min(CANDIDATES, k);
    float[] flat = new float[n * dim];
    for (int i = 0; i < n; i++) System.arraycopy(vectors[i], 0, flat, i * dim, dim);

    float[] sample = sample(flat, n, dim, Math.min(n, k * SAMPLE_PER_BLOCK), seed);
    float[] mean = SphericalKMeans.mean(sample, dim);
    float[] centroids = SphericalKMeans.train(SphericalKMeans.centred(sample, dim, mean), dim, k, ITERATIONS, seed);
    long overhead = (long) (sample.length / dim) * k * (ITERATIONS + 1);

    Broadcast<float[]> matrix = jsc.broadcast(flat);
    List<Broadcast<?>> spent = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    for (int r = 0; r < n; r += ROWS_PER_TASK) ranges.add(new int[] {r, Math.min(n, r + ROWS_PER_TASK)});
    int slices = Math.max(1, Math.min(ranges.size(), jsc.defaultParallelism() * 2));

    Broadcast<float[]> first = jsc.broadcast(centroids);
    spent.add(first);
    JavaRDD<Candidates> candidates = jsc.parallelize(ranges, slices)
        .map(range -> nearest(matrix.value(), dim, mean, first.value(), m, range[0], range[1]))
        .persist(StorageLevel.MEMORY_AND_DISK());
    overhead += (long) n * k;
    for (int round = 0; round < REFINE_ROUNDS && m > 1; round++) {
      float[] sums = candidates.map(c -> homeSums(matrix.value(), dim, mean, k, c)).reduce(BlockedSearch::add);
      centroids = refreshed(sums, centroids, dim);
      Broadcast<float[]> current = jsc.broadcast(centroids);
      spent.add(current);
      int upTo = round + 1 < REFINE_ROUNDS ? Math.min(m, REFINE_CANDIDATES) : m;
      JavaRDD<Candidates> next = candidates.map(c -> reranked(matrix.value(), dim, mean, current.value(), c, upTo))
          .persist(StorageLevel.MEMORY_AND_DISK());
      next.count(); // materialise before the previous round is dropped, or it would be recomputed from lineage
      candidates.unpersist();
      candidates = next;
      overhead += (long) n * upTo;
    }
    double reach = width * Math.sqrt(2 * Math.max(0, 1 - threshold));
    List<Probes> parts = candidates.map(c -> probes(matrix.value(), dim, mean, c, reach)).collect();
    candidates.unpersist();
    spent.forEach(Broadcast::destroy);

    Layout layout = layout(parts, n, k);
    List<Work> work = new ArrayList<>();
    long pairDots = plan(layout, k, tileSize, work);
    int largest = Arrays.stream(layout.members()).mapToInt(a -> a.length).max().orElse(0);
    Collections.shuffle(work, new Random(seed)); // big blocks' work spread over the tasks
    Broadcast<Layout> shared = jsc.broadcast(layout);
    float t = (float) threshold;
    int scoreSlices = Math.max(1, Math.min(work.size(), jsc.defaultParallelism() * 4));
    List<PairwiseCosine.Hit> hits = work.isEmpty() ? new ArrayList<>() : new ArrayList<>(jsc.parallelize(work, scoreSlices)
        .mapPartitions((Iterator<Work> it) -> score(matrix.value(), dim, shared.value(), it, tileSize, t).iterator())
        .collect());
    matrix.destroy();
    shared.destroy();
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
    int[] chosen = Arrays.copyOf(idx, size);
    Arrays.sort(chosen);
    float[] out = new float[size * dim];
    for (int s = 0; s < size; s++) System.arraycopy(flat, chosen[s] * dim, out, s * dim, dim);
    return out;
  }

  /** The full pass: rows {@code from..to}'s {@code m} nearest centroids of all. */
  static Candidates nearest(float[] flat, int dim, float[] mean, float[] centroids, int m, int from, int to) {
    float[] rows = SphericalKMeans.centred(Arrays.copyOfRange(flat, from * dim, to * dim), dim, mean);
    SphericalKMeans.Top top = SphericalKMeans.top(rows, dim, centroids, m);
    return new Candidates(from, m, top.ids(), top.scores());
  }

  /** Per block, the sum of its home rows (centred), flat {@code k x dim}. */
  static float[] homeSums(float[] flat, int dim, float[] mean, int k, Candidates c) {
    float[] sums = new float[k * dim];
    float[] row = new float[dim];
    for (int r = 0; r < c.rows(); r++) {
      centredRow(flat, dim, mean, c.start() + r, row);
      int at = c.ids()[r * c.m()] * dim;
      for (int d = 0; d < dim; d++) sums[at + d] += row[d];
    }
    return sums;
  }

  static float[] add(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) a[i] += b[i];
    return a;
  }

  /** New centroids: each block's normalised member sum; a block left without members keeps its centroid. */
  static float[] refreshed(float[] sums, float[] old, int dim) {
    float[] out = sums.clone();
    for (int c = 0; c < old.length / dim; c++) {
      boolean empty = true;
      for (int d = 0; d < dim && empty; d++) empty = out[c * dim + d] == 0;
      if (empty) System.arraycopy(old, c * dim, out, c * dim, dim);
      else SphericalKMeans.normalise(out, c * dim, dim);
    }
    return out;
  }

  /**
   * A refinement round: each row's first {@code upTo} candidates rescored against the new centroids and
   * re-ranked, best first; the others keep their place and score.
   */
  static Candidates reranked(float[] flat, int dim, float[] mean, float[] centroids, Candidates c, int upTo) {
    int m = c.m();
    int[] ids = c.ids().clone();
    float[] scores = c.scores().clone();
    float[] row = new float[dim];
    Integer[] order = new Integer[upTo];
    float[] s = new float[upTo];
    for (int r = 0; r < c.rows(); r++) {
      centredRow(flat, dim, mean, c.start() + r, row);
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
    return new Candidates(c.start(), m, ids, scores);
  }

  /** Each row's home and the candidates within its margin {@code reach / |r|} of the home's score. */
  static Probes probes(float[] flat, int dim, float[] mean, Candidates c, double reach) {
    int m = c.m(), rows = c.rows();
    int[] home = new int[rows];
    int[] offsets = new int[rows + 1];
    int[] blocks = new int[rows * (m - 1)];
    int used = 0;
    for (int r = 0; r < rows; r++) {
      int at = (c.start() + r) * dim;
      double r2 = 0;
      for (int d = 0; d < dim; d++) r2 += (flat[at + d] - mean[d]) * (double) (flat[at + d] - mean[d]);
      double floor = c.scores()[r * m] - reach / Math.sqrt(Math.max(r2, 1e-12));
      home[r] = c.ids()[r * m];
      for (int p = 1; p < m && c.scores()[r * m + p] >= floor; p++) blocks[used++] = c.ids()[r * m + p];
      offsets[r + 1] = used;
    }
    return new Probes(c.start(), home, offsets, Arrays.copyOf(blocks, used));
  }

  /** The per-row probes of all parts as one layout. */
  static Layout layout(List<Probes> parts, int n, int k) {
    int[] home = new int[n];
    int[] offsets = new int[n + 1];
    int total = parts.stream().mapToInt(p -> p.blocks().length).sum();
    int[] blocks = new int[total];
    List<Probes> ordered = new ArrayList<>(parts);
    ordered.sort((x, y) -> Integer.compare(x.start(), y.start()));
    int used = 0;
    for (Probes p : ordered) {
      System.arraycopy(p.home(), 0, home, p.start(), p.home().length);
      System.arraycopy(p.blocks(), 0, blocks, used, p.blocks().length);
      for (int r = 0; r < p.home().length; r++) offsets[p.start() + r + 1] = used + p.offsets()[r + 1];
      used += p.blocks().length;
    }
    int[] homeCounts = new int[k], probeCounts = new int[k];
    for (int h : home) homeCounts[h]++;
    for (int b : blocks) probeCounts[b]++;
    int[][] members = new int[k][], probedBy = new int[k][];
    for (int b = 0; b < k; b++) {
      members[b] = new int[homeCounts[b]];
      probedBy[b] = new int[probeCounts[b]];
    }
    int[] fillHome = new int[k], fillProbe = new int[k];
    for (int i = 0; i < n; i++) {
      members[home[i]][fillHome[home[i]]++] = i;
      for (int p = offsets[i]; p < offsets[i + 1]; p++) probedBy[blocks[p]][fillProbe[blocks[p]]++] = i;
    }
    return new Layout(members, home, offsets, blocks, probedBy);
  }

  /**
   * The scoring work, and the pairs it scores. A pair (a, b) with home(a) = x < home(b) = y is scored once: in
   * INTO(y) when a probes y, else in BACK(x, y) when b probes x. Pairs sharing a home are in that block's tiles.
   */
  static long plan(Layout layout, int k, int tileSize, List<Work> work) {
    long dots = 0;
    int[][] members = layout.members();
    for (int b = 0; b < k; b++) {
      int s = members[b].length;
      dots += (long) s * (s - 1) / 2;
      for (int r = 0; r < s; r += tileSize) {
        for (int c = r; c < s; c += tileSize) work.add(new Work(Work.Kind.TILE, b, b, r, Math.min(s, r + tileSize), c, Math.min(s, c + tileSize)));
      }
    }
    // rows of block x that probe block y, per directed block pair (x * k + y)
    Map<Long, int[]> probing = new HashMap<>();
    for (int i = 0; i < layout.home().length; i++) {
      for (int p = layout.offsets()[i]; p < layout.offsets()[i + 1]; p++) {
        probing.computeIfAbsent((long) layout.home()[i] * k + layout.blocks()[p], x -> new int[1])[0]++;
      }
    }
    long[] into = new long[k];
    List<Long> keys = new ArrayList<>(probing.keySet());
    Collections.sort(keys);
    for (long key : keys) {
      int x = (int) (key / k), y = (int) (key % k);
      int rows = probing.get(key)[0];
      if (x < y) {
        into[y] += rows;
      } else { // x > y: rows of the higher block x probe the lower block y
        int[] forward = probing.get((long) y * k + x);
        dots += (long) (members[y].length - (forward == null ? 0 : forward[0])) * rows;
        work.add(new Work(Work.Kind.BACK, y, x, 0, 0, 0, 0));
      }
    }
    for (int y = 0; y < k; y++) {
      if (into[y] == 0) continue;
      dots += into[y] * members[y].length;
      work.add(new Work(Work.Kind.INTO, -1, y, 0, 0, 0, 0));
    }
    return dots;
  }

  /** Scores one partition's work with one libtorch manager. */
  static List<PairwiseCosine.Hit> score(float[] flat, int dim, Layout layout, Iterator<Work> work, int tileSize, float t) {
    List<PairwiseCosine.Hit> out = new ArrayList<>();
    try (NDManager manager = PerExecutor.torch()) {
      while (work.hasNext()) {
        Work w = work.next();
        int[][] rc = operands(layout, w);
        score(manager, flat, dim, rc[0], rc[1], t, tileSize, w.kind() == Work.Kind.TILE && w.rowStart() == w.colStart(), out);
      }
    }
    return out;
  }

  /** The rows and the columns one unit of work multiplies (a diagonal TILE: only cells above the diagonal count). */
  static int[][] operands(Layout layout, Work w) {
    int[] own = layout.members()[w.colBlock()];
    return switch (w.kind()) {
      case TILE -> new int[][] {Arrays.copyOfRange(own, w.rowStart(), w.rowEnd()), Arrays.copyOfRange(own, w.colStart(), w.colEnd())};
      case INTO -> new int[][] {Arrays.stream(layout.probedBy()[w.colBlock()]).filter(i -> layout.home()[i] < w.colBlock()).toArray(), own};
      case BACK -> new int[][] {
          Arrays.stream(layout.members()[w.rowBlock()]).filter(i -> !layout.probes(i, w.colBlock())).toArray(),
          Arrays.stream(layout.probedBy()[w.rowBlock()]).filter(j -> layout.home()[j] == w.colBlock()).toArray()};
    };
  }

  /** Rows x cols in chunks of {@code tileSize}; with {@code upper}, rows == cols and only cells above the diagonal count. */
  private static void score(NDManager manager, float[] flat, int dim, int[] rows, int[] cols, float t, int tileSize,
                            boolean upper, List<PairwiseCosine.Hit> out) {
    for (int r = 0; r < rows.length; r += tileSize) {
      int rEnd = Math.min(rows.length, r + tileSize);
      float[] a = gather(flat, dim, rows, r, rEnd);
      for (int c = upper ? r : 0; c < cols.length; c += tileSize) {
        int cEnd = Math.min(cols.length, c + tileSize);
        int r0 = r, c0 = c;
        boolean diagonal = upper && r == c;
        PairwiseCosine.scoreBlock(manager, a, rEnd - r, gather(flat, dim, cols, c, cEnd), cEnd - c, dim, t, (x, y, s) -> {
          if (diagonal && x >= y) return;
          int i = rows[r0 + x], j = cols[c0 + y];
          out.add(new PairwiseCosine.Hit(Math.min(i, j), Math.max(i, j), s));
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

  private static float[] gather(float[] flat, int dim, int[] ids, int from, int to) {
    float[] out = new float[(to - from) * dim];
    for (int r = from; r < to; r++) System.arraycopy(flat, ids[r] * dim, out, (r - from) * dim, dim);
    return out;
  }
}
