package org.doppel.job;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Exact all-pairs cosine over L2-normalised vectors as blocked matrix products: the upper triangle of the
 * N x N similarity matrix is cut into tiles, each tile is one libtorch matmul in a Spark task, and the
 * threshold is applied inside the tile so only pairs at or above it leave the task. Memory per task is
 * two tiles of {@code tile x dim} floats plus one {@code tile x tile} score block, whatever N is.
 */
public final class PairwiseCosine {
  /** A pair of row indices (i < j) and their cosine. */
  public record Hit(int i, int j, float score) implements Serializable {}

  record Tile(int rowStart, int rowEnd, int colStart, int colEnd) implements Serializable {}

  private PairwiseCosine() {}

  public static List<Hit> pairsAbove(JavaSparkContext jsc, float[][] vectors, double threshold, int tileSize) {
    int n = vectors.length;
    if (n < 2) return List.of();
    int dim = vectors[0].length;
    float[] flat = new float[n * dim];
    for (int i = 0; i < n; i++) System.arraycopy(vectors[i], 0, flat, i * dim, dim);
    List<Tile> tiles = new ArrayList<>();
    for (int r = 0; r < n; r += tileSize) {
      for (int c = r; c < n; c += tileSize) tiles.add(new Tile(r, Math.min(n, r + tileSize), c, Math.min(n, c + tileSize)));
    }
    Broadcast<float[]> matrix = jsc.broadcast(flat);
    int slices = Math.max(1, Math.min(tiles.size(), jsc.defaultParallelism() * 4));
    float t = (float) threshold;
    List<Hit> hits = new ArrayList<>(jsc.parallelize(tiles, slices)
        .flatMap(tile -> scoreTile(matrix.value(), dim, tile, t).iterator())
        .collect());
    matrix.destroy();
    hits.sort((x, y) -> x.i() != y.i() ? Integer.compare(x.i(), y.i()) : Integer.compare(x.j(), y.j()));
    return hits;
  }

  static List<Hit> scoreTile(float[] flat, int dim, Tile tile, float threshold) {
    int rows = tile.rowEnd() - tile.rowStart(), cols = tile.colEnd() - tile.colStart();
    float[] a = new float[rows * dim];
    float[] b = new float[cols * dim];
    System.arraycopy(flat, tile.rowStart() * dim, a, 0, a.length);
    System.arraycopy(flat, tile.colStart() * dim, b, 0, b.length);
    List<Hit> out = new ArrayList<>();
    scoreBlock(a, rows, b, cols, dim, threshold, (r, c, score) -> {
      int i = tile.rowStart() + r, j = tile.colStart() + c;
      if (i < j) out.add(new Hit(i, j, score));
    });
    return out;
  }

  /** Receives the cells of one block product that reach the threshold. */
  interface BlockSink {
    void accept(int row, int col, float score);
  }

  /**
   * The tile kernel both searches share: one libtorch matmul {@code a · bᵀ} of a {@code rows x dim} and a
   * {@code cols x dim} block, thresholded inside libtorch so only passing cells cross JNI, in row-major order.
   */
  static void scoreBlock(float[] a, int rows, float[] b, int cols, int dim, float threshold, BlockSink sink) {
    try (NDManager manager = PerExecutor.torch()) {
      scoreBlock(manager, a, rows, b, cols, dim, threshold, sink);
    }
  }

  /** {@link #scoreBlock} in a sub-manager of {@code parent}: many small blocks share one native manager. */
  static void scoreBlock(NDManager parent, float[] a, int rows, float[] b, int cols, int dim, float threshold, BlockSink sink) {
    try (NDManager manager = parent.newSubManager()) {
      NDArray scores = manager.create(a, new Shape(rows, dim)).matMul(manager.create(b, new Shape(cols, dim)).transpose());
      NDArray mask = scores.gte(threshold);
      long[] idx = mask.nonzero().toLongArray();
      float[] values = scores.booleanMask(mask).toFloatArray();
      for (int k = 0; k < values.length; k++) sink.accept((int) idx[2 * k], (int) idx[2 * k + 1], Math.min(1f, values[k]));
    }
  }
}
