package org.doppel.job.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.candidates.PairwiseCosine;
import org.doppel.job.exec.SparkSessions;

/**
 * The pairwise stage against the machine's sgemm peak, in one run. Usage:
 * {@code PairwiseBench [N=100000] [dim=384] [threshold=0.93] [tile=1024]}. Vectors are seeded random unit
 * vectors in near-duplicate groups of 4 (so some pairs pass the threshold). The peak is the best of
 * several large libtorch matmuls with all cores; the pairwise stage runs as Spark local[*] tasks with one
 * libtorch thread each (as in a real run). Useful work = N(N-1)/2 dot products of dim multiply-adds.
 */
public final class PairwiseBench {
  private PairwiseBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int dim = args.length > 1 ? Integer.parseInt(args[1]) : 384;
    double threshold = args.length > 2 ? Double.parseDouble(args[2]) : 0.93;
    int tile = args.length > 3 ? Integer.parseInt(args[3]) : 1024;
    int cores = Runtime.getRuntime().availableProcessors();

    double peak = sgemmPeak(cores);
    System.out.printf(Locale.ROOT, "sgemm peak (libtorch, %d threads, 4096x4096x%d): %.1f GFLOP/s%n", cores, dim, peak);

    float[][] v = vectors(n, dim, 42);
    try (SparkSession spark = SparkSessions.create("local[*]", "doppel-bench-pairwise")) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      JniUtils.setNumThreads(1);
      IndexedSearch.exact(jsc, vectors(4 * tile, dim, 7), threshold, tile); // warm-up: engine, Spark
      long t0 = System.nanoTime();
      List<IndexedSearch.Hit> hits = IndexedSearch.exact(jsc, v, threshold, tile);
      double secs = (System.nanoTime() - t0) / 1e9;
      double pairs = (double) n * (n - 1) / 2;
      double gflops = pairs * 2 * dim / secs / 1e9;
      System.out.printf(Locale.ROOT, "pairwise: N=%d dim=%d tile=%d threshold=%.2f -> %d pairs above, %.1f s wall%n",
          n, dim, tile, threshold, hits.size(), secs);
      System.out.printf(Locale.ROOT, "pairwise: %.3g pairs/s, %.1f GFLOP/s (useful work), peak RSS %d MB%n",
          pairs / secs, gflops, peakRssMb());
      System.out.printf(Locale.ROOT, "ratio_vs_sgemm_peak=%.2f%n", gflops / peak);
    }
  }

  static double sgemmPeak(int threads) {
    double best = 0;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      JniUtils.setNumThreads(threads); // after the engine has loaded libtorch
      int size = 4096, k = 384;
      Random rnd = new Random(1);
      float[] a = new float[size * k];
      for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
      NDArray x = m.create(a, new Shape(size, k));
      NDArray y = x.transpose();
      for (int rep = 0; rep < 8; rep++) {
        long t0 = System.nanoTime();
        try (NDArray z = x.matMul(y)) {
          z.getFloat(0, 0); // force completion
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        best = Math.max(best, 2.0 * size * size * k / secs / 1e9);
      }
    }
    return best;
  }

  static float[][] vectors(int n, int dim, long seed) {
    Random rnd = new Random(seed);
    float[][] v = new float[n][dim];
    float[] base = new float[dim];
    for (int i = 0; i < n; i++) {
      if (i % 4 == 0) for (int d = 0; d < dim; d++) base[d] = (float) rnd.nextGaussian();
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        v[i][d] = base[d] + (float) rnd.nextGaussian() * 0.2f;
        norm += v[i][d] * v[i][d];
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dim; d++) v[i][d] *= inv;
    }
    return v;
  }

  /** CPU seconds this JVM has used (all threads): the work done, whatever else the machine runs. */
  public static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  public static long peakRssMb() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    } catch (java.io.IOException ignored) {
      // not on Linux
    }
    return -1;
  }
}
