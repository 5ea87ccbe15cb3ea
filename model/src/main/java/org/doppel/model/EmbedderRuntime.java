package org.doppel.model;

/**
 * What a loaded {@link ChunkedEmbedder} actually runs on (for reports).
 *
 * @param device {@code cpu} or {@code gpu:N}
 * @param dtype {@code float32} or {@code float16} (weights and activations; vectors are always float32)
 * @param batchWindows windows per forward pass at most
 * @param batchTokens padded tokens per forward pass at most
 */
public record EmbedderRuntime(String device, String dtype, int batchWindows, int batchTokens)
    implements java.io.Serializable {

  @Override
  public String toString() {
    return device + " " + dtype + ", <= " + batchWindows + " windows / " + batchTokens + " tokens per pass";
  }
}
