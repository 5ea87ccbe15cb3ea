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
 */
public record EmbedderConfig(
    String model, int windowTokens, int overlapTokens, int batchSize, int threads, Pooling pooling)
    implements java.io.Serializable {

  public static final String DEFAULT_MODEL = "bge-small-en-v1.5";
  public static final String MINILM_MODEL = "all-minilm-l6-v2";

  public EmbedderConfig {
    if (windowTokens < 0) throw new IllegalArgumentException("windowTokens must be >= 0: " + windowTokens);
    if (overlapTokens < 0) throw new IllegalArgumentException("overlapTokens must be >= 0: " + overlapTokens);
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    if (threads < 0) throw new IllegalArgumentException("threads must be >= 0: " + threads);
  }

  public static EmbedderConfig defaults() {
    return new EmbedderConfig(null, 0, 64, 16, 0, null);
  }

  public EmbedderConfig withModel(String m) {
    return new EmbedderConfig(m, windowTokens, overlapTokens, batchSize, threads, pooling);
  }

  public EmbedderConfig withWindow(int window, int overlap) {
    return new EmbedderConfig(model, window, overlap, batchSize, threads, pooling);
  }

  public EmbedderConfig withBatchSize(int b) {
    return new EmbedderConfig(model, windowTokens, overlapTokens, b, threads, pooling);
  }

  public EmbedderConfig withThreads(int t) {
    return new EmbedderConfig(model, windowTokens, overlapTokens, batchSize, t, pooling);
  }

  public EmbedderConfig withPooling(Pooling p) {
    return new EmbedderConfig(model, windowTokens, overlapTokens, batchSize, threads, p);
  }
}
