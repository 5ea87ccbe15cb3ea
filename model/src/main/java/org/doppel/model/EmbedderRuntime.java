package org.doppel.model;

/**
 * What a loaded {@link ChunkedEmbedder} actually runs on (for reports).
 *
 * @param device {@code cpu} or {@code gpu:N}
 * @param dtype {@code float32} or {@code float16} (weights and activations; vectors are always float32)
 * @param batchWindows windows per forward pass at most
 * @param batchTokens padded tokens per forward pass at most
 * @param cpuFallback why {@code --device auto} runs on the CPU where a GPU was expected (Spark assigned the
 *     task a GPU, or the embedder runs on a cluster executor, or libtorch has CUDA); null otherwise
 */
public record EmbedderRuntime(String device, String dtype, int batchWindows, int batchTokens, String cpuFallback)
    implements java.io.Serializable {

  public EmbedderRuntime(String device, String dtype, int batchWindows, int batchTokens) {
    this(device, dtype, batchWindows, batchTokens, null);
  }

  @Override
  public String toString() {
    return device + " " + dtype + ", <= " + batchWindows + " windows / " + batchTokens + " tokens per pass"
        + (cpuFallback != null ? "; " + FALLBACK + cpuFallback : "");
  }

  /** How {@link #toString} introduces the reason for a CPU fallback. */
  public static final String FALLBACK = "no GPU, embedding on the CPU: ";
}
