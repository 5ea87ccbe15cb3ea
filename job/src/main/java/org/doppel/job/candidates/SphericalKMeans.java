package org.doppel.job.candidates;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.doppel.job.exec.PerExecutor;

/**
 * Spherical k-means (cosine k-means) on L2-normalised row vectors, stored flat ({@code n x dim}). Seeding is
 * k-means++ on 1 - cosine, then Lloyd rounds: each row goes to the centroid with the highest dot product,
 * each centroid becomes the normalised sum of its rows; an emptied centroid restarts at the row worst served
 * by its own. Products run as libtorch matmuls over row slices, so memory is {@code slice x k} floats.
 * Deterministic for the same input and seed.
 */
final class SphericalKMeans {
  private static final int SLICE = 4096;

  private SphericalKMeans() {}

  /** {@code k} unit centroids, flat ({@code k x dim}), trained on all rows of {@code rows}. */
  static float[] train(float[] rows, int dim, int k, int iterations, long seed) {
    int n = rows.length / dim;
    if (k < 1 || k > n) throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
    float[] centroids = seedPlusPlus(rows, dim, k, new Random(seed));
    int[] owner = new int[n];
    float[] best = new float[n];
    for (int round = 0; round < iterations; round++) {
      nearest(rows, dim, centroids, owner, best);
      float[] sums = new float[k * dim];
      int[] counts = new int[k];
      for (int i = 0; i < n; i++) {
        counts[owner[i]]++;
        int c = owner[i] * dim, r = i * dim;
        for (int d = 0; d < dim; d++) sums[c + d] += rows[r + d];
      }
      boolean[] taken = new boolean[n];
      for (int c = 0; c < k; c++) {
        if (counts[c] == 0) { // restart at the row farthest from its own centroid
          int worst = -1;
          for (int i = 0; i < n; i++) if (!taken[i] && (worst < 0 || best[i] < best[worst])) worst = i;
          taken[worst] = true;
          System.arraycopy(rows, worst * dim, sums, c * dim, dim);
        }
        normalise(sums, c * dim, dim);
      }
      centroids = sums;
    }
    return centroids;
  }

  /** Each row's {@code m} best centroids, best first ({@code rows x m}, flat), and their dot products. */
  record Top(int[] ids, float[] scores) {}

  static Top top(float[] rows, int dim, float[] centroids, int m) {
    int[] ids = new int[rows.length / dim * m];
    float[] scores = new float[ids.length];
    forEachTop(rows, dim, centroids, m, (start, v, idx) -> {
      for (int t = 0; t < idx.length; t++) {
        ids[start * m + t] = (int) idx[t];
        scores[start * m + t] = v[t];
      }
    });
    return new Top(ids, scores);
  }

  /** Receives one slice of rows' top centroids: the slice's first row, scores and indices (row-major, m per row). */
  private interface TopSink {
    void accept(int start, float[] scores, long[] indices);
  }

  /** Each row's {@code m} best centroids by dot product, computed in libtorch a slice of rows at a time. */
  private static void forEachTop(float[] rows, int dim, float[] centroids, int m, TopSink sink) {
    int n = rows.length / dim, k = centroids.length / dim;
    try (NDManager manager = PerExecutor.torch()) {
      NDArray c = manager.create(centroids, new Shape(k, dim)).transpose();
      for (int start = 0; start < n; start += SLICE) {
        int len = Math.min(SLICE, n - start);
        float[] slice = new float[len * dim];
        System.arraycopy(rows, start * dim, slice, 0, slice.length);
        try (NDManager sub = manager.newSubManager()) {
          NDList top = sub.create(slice, new Shape(len, dim)).matMul(c).topK(m, 1, true, true);
          sink.accept(start, top.get(0).toFloatArray(), top.get(1).toLongArray());
        }
      }
    }
  }

  /** Rows minus {@code mean}, each scaled back to unit length. */
  static float[] centred(float[] rows, int dim, float[] mean) {
    float[] out = new float[rows.length];
    for (int r = 0; r < rows.length; r += dim) {
      for (int d = 0; d < dim; d++) out[r + d] = rows[r + d] - mean[d];
      normalise(out, r, dim);
    }
    return out;
  }

  /** The mean row. */
  static float[] mean(float[] rows, int dim) {
    double[] sum = new double[dim];
    for (int r = 0; r < rows.length; r += dim) for (int d = 0; d < dim; d++) sum[d] += rows[r + d];
    float[] out = new float[dim];
    for (int d = 0; d < dim; d++) out[d] = (float) (sum[d] / (rows.length / dim));
    return out;
  }

  /** Each row's nearest centroid and its dot product with it. */
  private static void nearest(float[] rows, int dim, float[] centroids, int[] owner, float[] best) {
    forEachTop(rows, dim, centroids, 1, (start, v, idx) -> {
      for (int t = 0; t < idx.length; t++) {
        owner[start + t] = (int) idx[t];
        best[start + t] = v[t];
      }
    });
  }

  /** k-means++ seeding: each next centroid is a row drawn with weight (1 - cosine to its nearest centroid)^2. */
  private static float[] seedPlusPlus(float[] rows, int dim, int k, Random rnd) {
    int n = rows.length / dim;
    float[] centroids = new float[k * dim];
    double[] gap = new double[n];
    java.util.Arrays.fill(gap, Double.MAX_VALUE);
    int pick = rnd.nextInt(n);
    try (NDManager manager = PerExecutor.torch()) {
      NDArray all = manager.create(rows, new Shape(n, dim));
      for (int c = 0; c < k; c++) {
        System.arraycopy(rows, pick * dim, centroids, c * dim, dim);
        float[] sims;
        try (NDManager sub = manager.newSubManager()) {
          float[] centre = new float[dim];
          System.arraycopy(rows, pick * dim, centre, 0, dim);
          sims = all.matMul(sub.create(centre, new Shape(dim, 1))).toFloatArray();
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
          double g = Math.max(0, 1 - sims[i]);
          gap[i] = Math.min(gap[i], g * g);
          total += gap[i];
        }
        if (c + 1 == k) break;
        if (total <= 0) { // fewer distinct rows than k: any row will do, Lloyd restarts the duplicates
          pick = rnd.nextInt(n);
          continue;
        }
        double target = rnd.nextDouble() * total;
        pick = n - 1;
        for (int i = 0; i < n; i++) {
          target -= gap[i];
          if (target < 0) {
            pick = i;
            break;
          }
        }
      }
    }
    return centroids;
  }

  static void normalise(float[] v, int offset, int dim) {
    double s = 0;
    for (int d = 0; d < dim; d++) s += (double) v[offset + d] * v[offset + d];
    if (s == 0) return;
    float inv = (float) (1 / Math.sqrt(s));
    for (int d = 0; d < dim; d++) v[offset + d] *= inv;
  }
}
