package org.doppel.job.exec;

import ai.djl.ndarray.NDManager;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.extractors.TikaExtractor;
import org.doppel.model.ChunkedEmbedder;
import org.doppel.model.ComputeDevice;
import org.doppel.model.CosineTiles;
import org.doppel.model.EmbedderConfig;

/**
 * The heavy per-JVM objects: one Tika extractor and one embedding model per executor JVM, created lazily
 * by the first task that needs them and shared by all later tasks (never one per task). On a cluster the
 * native libraries (libtorch, tokenizers) and the default model's weights come from the application jar: DJL
 * unpacks the libraries once per node into its cache folder (DJL_CACHE_DIR / ENGINE_CACHE_DIR, else
 * ~/.djl.ai, else java.io.tmpdir/.djl.ai) and nothing is downloaded.
 */
public final class PerExecutor {
  private static TikaExtractor extractor;
  private static ExtractorConfig extractorConfig;
  private static ChunkedEmbedder embedder;
  private static EmbedderConfig embedderConfig;
  private static String embedderGpu;
  private static int embedderLoads;
  private static volatile boolean gpuTilesAnnounced;

  private PerExecutor() {}

  public static synchronized TikaExtractor extractor(ExtractorConfig config) {
    if (extractor == null || !config.equals(extractorConfig)) {
      if (extractor != null) extractor.close();
      extractor = new TikaExtractor(config);
      extractorConfig = config;
    }
    return extractor;
  }

  /** How many times this JVM has loaded a model (one per configuration; tests check it stays at one). */
  public static synchronized int embedderLoads() {
    return embedderLoads;
  }

  /**
   * A libtorch array manager for one task. DJL is set offline first (no download, no telemetry probe of a cloud
   * metadata address), as model loading does, because an executor may score tiles without having embedded.
   */
  public static NDManager torch() {
    ChunkedEmbedder.defaultOfflineProperties();
    return NDManager.newBaseManager("PyTorch");
  }

  /**
   * A task's cosine tile kernel on {@code device} as the embedder resolves it: with {@code auto} or {@code gpu} the GPU
   * Spark assigned to the task (GPU 0 without GPU scheduling) when PyTorch sees one, else the CPU. The first GPU
   * kernel of a JVM says so in one line.
   */
  public static CosineTiles tiles(ComputeDevice device) {
    CosineTiles tiles = CosineTiles.open(device, assignedGpu());
    if (tiles.device().isGpu() && !gpuTilesAnnounced) {
      gpuTilesAnnounced = true;
      System.err.println("doppel: pair tiles on " + tiles.device() + " (float16 products, float32 rescoring)");
    }
    return tiles;
  }

  /**
   * The executor's model, on the GPU Spark assigned to the calling task when GPU scheduling is on
   * ({@code spark.executor.resource.gpu.amount} = 1 and a fractional {@code spark.task.resource.gpu.amount}: every
   * task of the executor gets its one GPU, so the model loads once). {@code --device auto} without a usable GPU
   * embeds on the CPU and says why in the runtime, which the driver prints in one line on a cluster.
   */
  public static synchronized ChunkedEmbedder embedder(EmbedderConfig config) {
    String gpu = assignedGpu();
    if (embedder == null || !config.equals(embedderConfig) || !java.util.Objects.equals(gpu, embedderGpu)) {
      if (embedder != null) embedder.close();
      embedder = null; // a load that fails must not leave the closed model in place for the old configuration
      embedder = ChunkedEmbedder.load(config, gpu, onClusterExecutor());
      embedderConfig = config;
      embedderGpu = gpu;
      embedderLoads++;
    }
    return embedder;
  }

  /** The first GPU address Spark assigned to the running task; null outside a task or without GPU scheduling. */
  static String assignedGpu() {
    TaskContext task = TaskContext.get();
    if (task == null) return null;
    ResourceInformation gpu = task.resources().get("gpu").getOrElse(() -> null);
    return gpu == null || gpu.addresses().length == 0 ? null : gpu.addresses()[0];
  }

  /** True in an executor JVM of a cluster (a local run's tasks run in the driver). */
  private static boolean onClusterExecutor() {
    SparkEnv env = SparkEnv.get();
    return env != null && !"driver".equals(env.executorId());
  }
}
