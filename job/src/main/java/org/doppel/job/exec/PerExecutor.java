package org.doppel.job.exec;

import ai.djl.ndarray.NDManager;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.extractors.TikaExtractor;
import org.doppel.model.ChunkedEmbedder;
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
  private static int embedderLoads;

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

  public static synchronized ChunkedEmbedder embedder(EmbedderConfig config) {
    if (embedder == null || !config.equals(embedderConfig)) {
      if (embedder != null) embedder.close();
      embedder = null; // a load that fails must not leave the closed model in place for the old configuration
      embedder = ChunkedEmbedder.load(config);
      embedderConfig = config;
      embedderLoads++;
    }
    return embedder;
  }
}
