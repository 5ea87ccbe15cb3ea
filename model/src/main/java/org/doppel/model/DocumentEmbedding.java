package org.doppel.model;

import java.util.List;

/**
 * Embedding of one whole document.
 *
 * @param vector L2-normalised token-weighted mean of the chunk vectors (weight = content tokens of
 *     the window); all zeros (length = model dimension) for an empty or blank text
 * @param chunks the windows in order; empty for an empty or blank text
 */
public record DocumentEmbedding(float[] vector, List<Chunk> chunks) implements java.io.Serializable {
  public boolean isEmpty() {
    return chunks.isEmpty();
  }
}
