package org.doppel.model;

/**
 * How large a forward pass may be on a GPU, from the device memory free once the weights are
 * loaded. A pure function of its inputs (unit-tested with given free-memory numbers).
 *
 * <p>Budget = {@code (free - reserve) * fraction} (reserve: cuBLAS workspaces, CUDA context growth,
 * caching-allocator slack; fraction {@code -Ddoppel.gpuMemoryFraction}, default 0.5, leaves room
 * for fragmentation and another process). A quarter of the budget goes to attention scores (the
 * score block, its softmax and the ALiBi bias of whole rows live together: 3 blocks), the rest to
 * the per-token activations of one layer.
 */
final class GpuBatching {
  private GpuBatching() {}

  static final double MEMORY_FRACTION = Double.parseDouble(System.getProperty("doppel.gpuMemoryFraction", "0.5"));
  static final long RESERVE_BYTES = 512L << 20;
  /** Windows per forward pass at most: beyond this a pass is long enough to keep any GPU busy. */
  static final int MAX_WINDOWS = 1024;
  /** Largest score block (values): keeps every attention kernel well inside 32-bit indexing. */
  static final long MAX_SCORE_BLOCK = 1L << 30;
  /** Score-sized arrays alive at once: scores, probabilities, ALiBi bias (or the broadcast mask). */
  static final long SCORE_BLOCKS = 3;

  /**
   * @param batchSize windows per forward pass
   * @param batchTokens padded tokens per forward pass
   * @param scoreBlockFloats values per attention score block ([rows, heads, queries, keys])
   */
  record Limits(int batchSize, int batchTokens, long scoreBlockFloats) {}

  /**
   * Values alive per token at a layer's peak: ~8 of hidden size (residual, fused q/k/v = 3, context
   * and its contiguous copy, attention output, LayerNorm output) and ~4 of intermediate size (GEGLU
   * input 2, activation, output; plain GELU uses less).
   */
  static long valuesPerToken(BertConfig c) {
    return 8L * c.hidden() + 4L * c.intermediate();
  }

  static Limits plan(long freeBytes, BertConfig c, int windowTokens, int bytesPerValue) {
    long budget = (long) (Math.max(0, freeBytes - RESERVE_BYTES) * MEMORY_FRACTION);
    // At least 16 query rows of one window per score block (what BertEncoder.queryBlock uses).
    long minScores = 16L * c.heads() * windowTokens;
    long scores = Math.max(minScores, Math.min(MAX_SCORE_BLOCK, budget / 4 / (SCORE_BLOCKS * bytesPerValue)));
    long activations = Math.max(0, budget - SCORE_BLOCKS * bytesPerValue * scores);
    long tokens = activations / (bytesPerValue * valuesPerToken(c));
    tokens = Math.max(windowTokens, Math.min((long) MAX_WINDOWS * windowTokens, tokens));
    int windows = (int) Math.max(1, Math.min(MAX_WINDOWS, tokens / windowTokens));
    return new Limits(windows, (int) tokens, scores);
  }
}
