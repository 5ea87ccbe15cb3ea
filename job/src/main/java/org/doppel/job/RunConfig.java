package org.doppel.job;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.model.EmbedderConfig;

/** Everything one run needs; built by the CLI (or a test) and read by every stage. */
public record RunConfig(List<String> inputs, Path out, double threshold, List<String> excludes, KeepPolicy keep,
                        String master, ExtractorConfig extractor, EmbedderConfig embedder, int partitions,
                        int tileSize) implements Serializable {

  /**
   * Default cosine threshold on document vectors, calibrated on the shared labelled sets (see README,
   * "Default threshold").
   */
  public static final double DEFAULT_THRESHOLD = 0.90;

  public static RunConfig defaults(List<String> inputs, Path out) {
    return new RunConfig(inputs, out, DEFAULT_THRESHOLD, List.of(), KeepPolicy.LARGEST, "local[*]",
        ExtractorConfig.defaults(), EmbedderConfig.defaults(), 0, 1024);
  }

  public RunConfig withThreshold(double t) {
    return new RunConfig(inputs, out, t, excludes, keep, master, extractor, embedder, partitions, tileSize);
  }

  public RunConfig withMaster(String m) {
    return new RunConfig(inputs, out, threshold, excludes, keep, m, extractor, embedder, partitions, tileSize);
  }
}
