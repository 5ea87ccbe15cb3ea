package org.doppel.model;

/**
 * How to build a {@link ChunkedEmbedder}.
 *
 * @param model null or {@value #DEFAULT_MODEL} = the shipped default; {@value #MINILM_MODEL} when
 *     its weight jar is on the classpath; otherwise a directory: a Hugging Face folder ({@code
 *     config.json}, {@code tokenizer.json}, {@code model.safetensors} or sharded safetensors with
 *     {@code model.safetensors.index.json}; BERT, RoBERTa/XLM-R or JinaBERT) or an ONNX folder (one
 *     {@code *.onnx}, a {@code tokenizer.json} and optionally a {@code config.json})
 * @param windowTokens tokens per window including [CLS]/[SEP]; 0 = the model maximum (512 for bge,
 *     8192 for jina-embeddings-v2)
 * @param overlapTokens tokens shared by consecutive windows (default 64)
 * @param batchSize windows per forward pass (default 16)
 * @param threads torch intra-op threads, 0 = leave the default
 * @param pooling null = the model default
 * @param device {@code CPU} (default here and for null, so that library users and tests get the
 *     float32 CPU path unless they ask), {@code AUTO} (a CUDA GPU when PyTorch reports one, else
 *     the CPU; the command line's default), or {@code GPU} (loading fails with one clear line when
 *     there is none). On a GPU the encoder runs in float16 and batches are sized from free GPU
 *     memory ({@code batchSize} and {@code threads} apply to the CPU only)
 */
public record EmbedderConfig(
    String model, int windowTokens, int overlapTokens, int batchSize, int threads, Pooling pooling,
    ComputeDevice device)
    implements java.io.Serializable {

  public static final String DEFAULT_MODEL = "bge-small-en-v1.5";
  public static final String MINILM_MODEL = "all-minilm-l6-v2";

  public EmbedderConfig {
    if (windowTokens < 0) throw new IllegalArgumentException("windowTokens must be >= 0: " + windowTokens);
    if (overlapTokens < 0) throw new IllegalArgumentException("overlapTokens must be >= 0: " + overlapTokens);
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    if (threads < 0) throw new IllegalArgumentException("threads must be >= 0: " + threads);
    if (device == null) device = ComputeDevice.CPU;
  }

  /** Device {@code CPU}. */
  public EmbedderConfig(
      String model, int windowTokens, int overlapTokens, int batchSize, int threads, Pooling pooling) {
    this(model, windowTokens, overlapTokens, batchSize, threads, pooling, ComputeDevice.CPU);
  }

  public static EmbedderConfig defaults() {
    return new EmbedderConfig(null, 0, 64, 16, 0, null, ComputeDevice.CPU);
  }

  public EmbedderConfig withModel(String m) {
    return new EmbedderConfig(m, windowTokens, overlapTokens, batchSize, threads, pooling, device);
  }

  public EmbedderConfig withWindow(int window, int overlap) {
    return new EmbedderConfig(model, window, overlap, batchSize, threads, pooling, device);
  }

  public EmbedderConfig withBatchSize(int b) {
    return new EmbedderConfig(model, windowTokens, overlapTokens, b, threads, pooling, device);
  }

  public EmbedderConfig withThreads(int t) {
    return new EmbedderConfig(model, windowTokens, overlapTokens, batchSize, t, pooling, device);
  }

  public EmbedderConfig withPooling(Pooling p) {
    return new EmbedderConfig(model, windowTokens, overlapTokens, batchSize, threads, p, device);
  }

  public EmbedderConfig withDevice(ComputeDevice d) {
    return new EmbedderConfig(model, windowTokens, overlapTokens, batchSize, threads, pooling, d);
  }
}
