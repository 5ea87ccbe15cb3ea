package org.doppel.job.candidates;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.doppel.job.data.TextVector;
import org.doppel.job.exec.PerExecutor;
import org.doppel.model.ComputeDevice;
import org.doppel.model.CosineTiles;
import scala.Tuple2;

/**
 * Exact all-pairs cosine over L2-normalised vectors, distributed: the rows are cut into blocks (each one record,
 * cached on the executors), every pair of blocks i <= j is one task of a Cartesian product, and inside the task the
 * block product is computed in libtorch tiles ({@link CosineTiles}: float32 on the CPU, float16 with float32
 * rescoring on the executor's GPU) with the threshold applied there, so only pairs at or above it leave the task.
 * Each executor holds two blocks at a time, whatever N is; the driver holds nothing but counts.
 */
public final class PairwiseCosine {
  /** A pair of keys ({@code a < b}) and their cosine. */
  public record Hit(String a, String b, float score) implements Serializable {
    static Hit of(String x, String y, float score) {
      return x.compareTo(y) < 0 ? new Hit(x, y, score) : new Hit(y, x, score);
    }
  }

  /** Rows of one block: their keys and their vectors, flat. */
  record Block(int id, String[] keys, float[] flat, int dim) implements Serializable {
    int rows() {
      return keys.length;
    }

    static Block of(int id, Iterable<TextVector> rows) {
      List<TextVector> list = new ArrayList<>();
      rows.forEach(list::add);
      list.sort((x, y) -> x.textSha256().compareTo(y.textSha256())); // the same block whatever order rows arrived in
      int dim = list.isEmpty() ? 0 : list.get(0).vector().length;
      String[] keys = new String[list.size()];
      float[] flat = new float[list.size() * dim];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = list.get(i).textSha256();
        System.arraycopy(list.get(i).vector(), 0, flat, i * dim, dim);
      }
      return new Block(id, keys, flat, dim);
    }
  }

  /** Bytes of one cached block: a task holds two. */
  static final long BLOCK_BYTES = 32L << 20;

  private PairwiseCosine() {}

  /**
   * Rows per block: at most {@link #BLOCK_BYTES} of vectors, at least one tile, and small enough that there are about
   * twice as many block pairs as Spark runs tasks at once.
   */
  static int blockRows(long n, int dim, int tileSize, int parallelism) {
    long byMemory = Math.max(tileSize, BLOCK_BYTES / (4L * Math.max(1, dim)));
    long byTasks = (long) Math.ceil(n / Math.max(1.0, 2 * Math.sqrt(parallelism)));
    return (int) Math.max(tileSize, Math.min(byMemory, byTasks));
  }

  /** Every pair of keys whose vectors' cosine is at least {@code threshold}, each once. */
  public static JavaRDD<Hit> pairsAbove(JavaRDD<TextVector> vectors, long n, int dim, double threshold, int tileSize,
                                        ComputeDevice device) {
    int rows = blockRows(n, dim, tileSize, vectors.context().defaultParallelism());
    int count = (int) Math.max(1, (n + rows - 1) / rows);
    JavaPairRDD<Integer, Block> blocks = vectors.zipWithIndex()
        .mapToPair(kv -> new Tuple2<>((int) (kv._2() / rows), kv._1()))
        .groupByKey(new HashPartitioner(count))
        .mapToPair(kv -> new Tuple2<>(kv._1(), Block.of(kv._1(), kv._2())))
        .persist(StorageLevel.MEMORY_AND_DISK());
    float t = (float) threshold;
    return blocks.cartesian(blocks)
        .filter(p -> p._1()._1() <= p._2()._1())
        .flatMap(p -> score(p._1()._2(), p._2()._2(), t, tileSize, device).iterator());
  }

  /** The pairs of two blocks (of one block with itself: each pair inside it once) at or above the threshold. */
  static List<Hit> score(Block a, Block b, float threshold, int tileSize, ComputeDevice device) {
    List<Hit> out = new ArrayList<>();
    boolean same = a.id() == b.id();
    int dim = a.dim();
    try (CosineTiles tiles = PerExecutor.tiles(device)) {
      int tile = tiles.tileRows(tileSize);
      for (int r = 0; r < a.rows(); r += tile) {
        int rEnd = Math.min(a.rows(), r + tile);
        int from = same ? r : 0; // within one block only the columns from the row slice on: i < j
        float[] rowsFlat = java.util.Arrays.copyOfRange(a.flat(), r * dim, rEnd * dim);
        float[] colsFlat = java.util.Arrays.copyOfRange(b.flat(), from * dim, b.rows() * dim);
        int r0 = r;
        tiles.score(rowsFlat, rEnd - r, colsFlat, b.rows() - from, dim, threshold, (x, y, s) -> {
          int i = r0 + x, j = from + y;
          if (!same || i < j) out.add(Hit.of(a.keys()[i], b.keys()[j], s));
        });
      }
    }
    return out;
  }
}
