package org.doppel.model;

/**
 * What a loaded {@link ChunkedEmbedder} actually runs on (for reports).
 *
 * @param device {@code cpu} or {@code gpu:N}
 * @param dtype {@code float32}, {@code float16} or {@code bfloat16} (weights and activations; vectors are always
 *     float32)
 * @param batchWindows windows per forward pass at most
 * @param batchTokens padded tokens per forward pass at most
 * @param cpuFallback why {@code --device auto} runs on the CPU where a GPU was expected (Spark assigned the
 *     task a GPU, or the embedder runs on a cluster executor, or libtorch has CUDA); null otherwise
 * @param attention {@code sdpa} (libtorch's fused attention: the JNI scripts/build-torch-jni builds) or
 *     {@code matmul} (DJL's matmul, softmax, matmul: the stock JNI)
 */
public record EmbedderRuntime(
    String device, String dtype, int batchWindows, int batchTokens, String cpuFallback, String attention)
    implements java.io.Serializable {

  public EmbedderRuntime(String device, String dtype, int batchWindows, int batchTokens, String attention) {
    this(device, dtype, batchWindows, batchTokens, null, attention);
  }

  @Override
  public String toString() {
    return device + " " + dtype + ", " + attention + " attention, <= " + batchWindows + " windows / " + batchTokens + " tokens per pass"
        + (cpuFallback != null ? "; " + FALLBACK + cpuFallback : "");
  }

  /** How {@link #toString} introduces the reason for a CPU fallback. */
  public static final String FALLBACK = "no GPU, embedding on the CPU: ";
}
