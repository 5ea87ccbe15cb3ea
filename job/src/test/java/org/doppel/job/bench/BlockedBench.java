package org.doppel.job.bench;

import ai.djl.pytorch.jni.JniUtils;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.RunConfig;
import org.doppel.job.candidates.BlockedSearch;
import org.doppel.job.candidates.PairwiseCosine;
import org.doppel.job.exec.SparkSessions;

/**
 * Recall of {@link BlockedSearch} against the exact search on the same vectors, in one run. Usage:
 * {@code BlockedBench VECTORS_PARQUET [--threshold T,...] [--width W,...] [--blocks K,...] [--limit N] [--tile S]};
 * the Parquet file is {@code doppel embed}'s {@code document_vectors.parquet} or {@code vectors.parquet} (any
 * dataset with a {@code vector} array column), or {@code synthetic:N} for N {@link ClusteredVectors}. Identical
 * vectors are kept once and all are re-normalised. The exact search runs once at the lowest threshold; the
 * blocked search runs at each threshold (its probing depends on it). Prints pairs, dot products and wall time
 * of both, recall, and the saving factor (exact dot products / blocked dot products, the blocked count
 * including centroid training, assignment and refinement).
 */
public final class BlockedBench {
  private BlockedBench() {}

  public static void main(String[] args) throws Exception {
    String path = args[0];
    List<Double> thresholds = List.of(RunConfig.DEFAULT_DECISION.candidateCosine());
    List<Double> widths = List.of(BlockedSearch.DEFAULT_WIDTH);
    List<Integer> blocks = List.of(0);
    int limit = Integer.MAX_VALUE, tile = 1024;
    for (int a = 1; a < args.length; a += 2) {
      switch (args[a]) {
        case "--threshold" -> thresholds = list(args[a + 1], Double::parseDouble);
        case "--width" -> widths = list(args[a + 1], Double::parseDouble);
        case "--blocks" -> blocks = list(args[a + 1], Integer::parseInt);
        case "--limit" -> limit = Integer.parseInt(args[a + 1]);
        case "--tile" -> tile = Integer.parseInt(args[a + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[a]);
      }
    }
    double lowest = thresholds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    try (SparkSession spark = SparkSessions.create("local[*]", "doppel-bench-blocked")) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      float[][] v = path.startsWith("synthetic:")
          ? ClusteredVectors.generate(Integer.parseInt(path.substring("synthetic:".length())), 384, 11)
          : read(spark, path, limit);
      System.out.printf(Locale.ROOT, "vectors: %d x %d from %s%n", v.length, v[0].length, path);
      ai.djl.engine.Engine.getEngine("PyTorch");
      JniUtils.setNumThreads(1); // one libtorch thread per Spark task, as in a run
      IndexedSearch.blocked(jsc, PairwiseBench.vectors(4096, v[0].length, 7), lowest, tile, 0, BlockedSearch.DEFAULT_WIDTH, 1); // warm-up

      long t0 = System.nanoTime();
      double cpu0 = PairwiseBench.cpuSeconds();
      List<IndexedSearch.Hit> exact = IndexedSearch.exact(jsc, v, lowest, tile);
      System.out.printf(Locale.ROOT, "exact: %.1f s wall, %.1f s cpu, %d dot products, load %.1f%n",
          (System.nanoTime() - t0) / 1e9, PairwiseBench.cpuSeconds() - cpu0, (long) v.length * (v.length - 1) / 2, load());
      for (int k : blocks) {
        for (double w : widths) {
          for (double t : thresholds) {
            long t1 = System.nanoTime();
            double cpu1 = PairwiseBench.cpuSeconds();
            IndexedSearch.Blocked blocked = IndexedSearch.blocked(jsc, v, t, tile, k, w, 42);
            double secs = (System.nanoTime() - t1) / 1e9, cpu = PairwiseBench.cpuSeconds() - cpu1;
            Report r = Report.of(v.length, above(exact, t), blocked.hits(), blocked.dotProducts());
            System.out.printf(Locale.ROOT, "threshold=%.2f width=%s blocks=%d largest_block=%d "
                    + "pairs_exact=%d pairs_blocked=%d not_in_exact=%d dots_blocked=%d (pairs %d + k-means %d) "
                    + "wall_s=%.1f cpu_s=%.1f load=%.1f recall=%.4f saving=%.1fx%n",
                t, w, blocked.blocks(), blocked.largestBlock(), r.exactPairs(), r.found() + r.extra(),
                r.extra(), blocked.dotProducts(), blocked.pairDots(), blocked.overheadDots(), secs, cpu, load(),
                r.recall(), r.saving());
          }
        }
      }
    }
  }

  private static <T> List<T> list(String csv, java.util.function.Function<String, T> parse) {
    return java.util.Arrays.stream(csv.split(",")).map(parse).toList();
  }

  private static List<IndexedSearch.Hit> above(List<IndexedSearch.Hit> hits, double t) {
    return hits.stream().filter(h -> h.score() >= (float) t).toList();
  }

  private static double load() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Recall and saving of one blocked search against the exact one. */
  record Report(long exactDots, long blockedDots, int exactPairs, int found, int extra) {
    static Report of(int n, List<IndexedSearch.Hit> exact, List<IndexedSearch.Hit> blocked, long blockedDots) {
      Set<Long> truth = new HashSet<>();
      for (IndexedSearch.Hit h : exact) truth.add(key(h));
      int found = 0, extra = 0;
      for (IndexedSearch.Hit h : blocked) {
        if (truth.contains(key(h))) found++;
        else extra++;
      }
      return new Report((long) n * (n - 1) / 2, blockedDots, exact.size(), found, extra);
    }

    double recall() {
      return exactPairs == 0 ? 1.0 : found / (double) exactPairs;
    }

    double saving() {
      return exactDots / (double) Math.max(1, blockedDots);
    }

    private static long key(IndexedSearch.Hit h) {
      return ((long) h.i() << 32) | h.j();
    }
  }

  /**
   * The distinct vectors of a Parquet dataset, re-normalised. Identical vectors (the windows of exact copies,
   * which {@code doppel embed} writes once per copy) are kept once, as a run compares each distinct text once.
   */
  static float[][] read(SparkSession spark, String path, int limit) {
    List<Row> rows = spark.read().parquet(path).select("vector").limit(limit).collectAsList();
    Set<java.nio.FloatBuffer> seen = new HashSet<>();
    List<float[]> out = new java.util.ArrayList<>();
    for (Row row : rows) {
      List<Float> xs = row.getList(0);
      float[] x = new float[xs.size()];
      for (int d = 0; d < x.length; d++) x[d] = xs.get(d);
      if (!seen.add(java.nio.FloatBuffer.wrap(x))) continue;
      double s = 0;
      for (float f : x) s += f * f;
      float inv = (float) (1 / Math.sqrt(s));
      float[] unit = new float[x.length];
      for (int d = 0; d < x.length; d++) unit[d] = x[d] * inv;
      out.add(unit);
    }
    System.out.printf(Locale.ROOT, "read %d vectors, %d distinct%n", rows.size(), out.size());
    return out.toArray(float[][]::new);
  }
}
