package org.doppel.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The thresholded cosine tile kernel of the pair searches: one libtorch product {@code a · bᵀ} of a {@code rows x dim}
 * and a {@code cols x dim} block of L2-normalised rows, thresholded inside libtorch so that only passing cells cross
 * JNI. On the CPU the product is float32. In {@link Precision#FLOAT16} (the default on a GPU) the inputs are float16,
 * cuBLAS accumulates in float32 and the float16 result is filtered at {@code threshold - }{@link #GUARD}; the cells
 * that pass are rescored in float32 from the caller's rows, so the pairs are float32's (up to float32 rounding at the
 * threshold itself) for the price of a float16 product. Owns one native memory scope ({@link NDManager}) per task.
 */
public final class CosineTiles implements AutoCloseable {
  public enum Precision { FLOAT32, FLOAT16 }

  /**
   * Slack of the float16 filter: unit rows rounded to float16 move a cosine by at most 2 * 2^-11, and the float16
   * result rounds it by at most 2^-12 more; 2^-8 is three times that bound.
   */
  static final float GUARD = 1f / 256;
  /** Rows per tile side on a GPU: fewer, larger products (a 1024-row tile keeps an H100 busy for microseconds). */
  static final int GPU_TILE = 8192;

  /** Receives the cells of one block product that reach the threshold, in row-major order. */
  public interface Sink {
    void accept(int row, int col, float score);
  }

  private final NDManager manager;
  private final Precision precision;

  private CosineTiles(Device device, Precision precision) {
    ChunkedEmbedder.defaultOfflineProperties();
    this.manager = NDManager.newBaseManager(device, "PyTorch");
    this.precision = precision;
  }

  /** Tiles on {@code device} in the given precision (tests force float16 on the CPU). */
  public static CosineTiles on(Device device, Precision precision) {
    return new CosineTiles(device, precision);
  }

  /**
   * Tiles where {@code device} says, as the embedder resolves it: {@code auto} = the GPU Spark assigned to the task
   * ({@code gpuAddress}, null = GPU 0) when PyTorch sees it, else the CPU. Float16 on a GPU, float32 on the CPU.
   */
  public static CosineTiles open(ComputeDevice device, String gpuAddress) {
    ChunkedEmbedder.defaultOfflineProperties();
    Engine engine = Engine.getEngine("PyTorch");
    int gpus = device == ComputeDevice.CPU ? 0 : GpuProbe.count(engine);
    Device d = device.resolve(gpus, device == ComputeDevice.GPU ? GpuProbe.whyNone(engine, gpuAddress) : "",
        gpuAddress, System.getenv("CUDA_VISIBLE_DEVICES"));
    return new CosineTiles(d, d.isGpu() ? Precision.FLOAT16 : Precision.FLOAT32);
  }

  public Device device() {
    return manager.getDevice();
  }

  public Precision precision() {
    return precision;
  }

  /** Rows per tile side: what the caller asks on the CPU, at least {@link #GPU_TILE} on a GPU. */
  public int tileRows(int requested) {
    return manager.getDevice().isGpu() ? Math.max(requested, GPU_TILE) : requested;
  }

  /** The whole product {@code a · bᵀ} as this kernel's filter sees it (row-major, as float32): for tests. */
  float[] products(float[] a, int rows, float[] b, int cols, int dim) {
    try (NDManager scope = manager.newSubManager()) {
      return product(scope, a, rows, b, cols, dim).toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  private NDArray product(NDManager scope, float[] a, int rows, float[] b, int cols, int dim) {
    NDArray x = scope.create(a, new Shape(rows, dim));
    NDArray y = scope.create(b, new Shape(cols, dim));
    if (precision == Precision.FLOAT16) {
      x = x.toType(DataType.FLOAT16, false);
      y = y.toType(DataType.FLOAT16, false);
    }
    return x.matMul(y.transpose());
  }

  /** The cells of {@code a · bᵀ} at or above {@code threshold} (cosines capped at 1), row-major. */
  public void score(float[] a, int rows, float[] b, int cols, int dim, float threshold, Sink sink) {
    if (rows == 0 || cols == 0) return;
    try (NDManager scope = manager.newSubManager()) {
      boolean half = precision == Precision.FLOAT16;
      NDArray scores = product(scope, a, rows, b, cols, dim);
      NDArray mask = scores.gte(half ? threshold - GUARD : threshold);
      long[] idx = mask.nonzero().toLongArray();
      if (half) {
        for (int k = 0; k < idx.length / 2; k++) {
          int i = (int) idx[2 * k], j = (int) idx[2 * k + 1];
          float s = dot(a, i * dim, b, j * dim, dim);
          if (s >= threshold) sink.accept(i, j, Math.min(1f, s));
        }
      } else {
        float[] values = scores.booleanMask(mask).toFloatArray();
        for (int k = 0; k < values.length; k++) sink.accept((int) idx[2 * k], (int) idx[2 * k + 1], Math.min(1f, values[k]));
      }
    }
  }

  /** The float32 rescoring of a cell that passed the float16 filter (accumulated in double, then rounded). */
  static float dot(float[] a, int at, float[] b, int bt, int dim) {
    double s = 0;
    for (int d = 0; d < dim; d++) s += (double) a[at + d] * b[bt + d];
    return (float) s;
  }

  @Override
  public void close() {
    manager.close();
  }
}
