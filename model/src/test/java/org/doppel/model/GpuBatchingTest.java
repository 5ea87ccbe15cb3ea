package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** GPU batch limits from given free-memory numbers (no GPU needed: a pure function). */
class GpuBatchingTest {

  static final BertConfig BGE_SMALL = new BertConfig(384, 12, 12, 1536, 512, 30522, 2, 1e-12f);
  static final BertConfig JINA_BASE = new BertConfig(768, 12, 12, 3072, 8192, 61056, 2, 1e-12f);
  static final long GIB = 1L << 30;

  /** What a plan may use: its activations plus its score block (and softmax) in bytes. */
  static long planned(GpuBatching.Limits l, BertConfig c, int bytes) {
    return (long) l.batchTokens() * GpuBatching.valuesPerToken(c) * bytes
        + GpuBatching.SCORE_BLOCKS * bytes * l.scoreBlockFloats();
  }

  static long budget(long free) {
    return (long) ((free - GpuBatching.RESERVE_BYTES) * GpuBatching.MEMORY_FRACTION);
  }

  @Test
  void plansStayWithinTheBudgetAndGrowWithFreeMemory() {
    for (BertConfig c : new BertConfig[] {BGE_SMALL, JINA_BASE}) {
      int window = c.maxPositions();
      GpuBatching.Limits prev = null;
      for (long free : new long[] {2 * GIB, 4 * GIB, 8 * GIB, 16 * GIB, 40 * GIB}) {
        GpuBatching.Limits l = GpuBatching.plan(free, c, window, 2);
        assertTrue(planned(l, c, 2) <= budget(free), c + " at " + free + ": " + l);
        assertTrue((long) l.batchSize() * window <= l.batchTokens(), "full windows fit the token cap: " + l);
        assertTrue(l.batchSize() >= 1 && l.batchSize() <= GpuBatching.MAX_WINDOWS);
        if (prev != null) {
          assertTrue(l.batchTokens() >= prev.batchTokens() && l.batchSize() >= prev.batchSize()
              && l.scoreBlockFloats() >= prev.scoreBlockFloats(), "more memory, no smaller batches: " + prev + " -> " + l);
        }
        prev = l;
      }
    }
  }

  @Test
  void float32NeedsAboutTwiceTheMemoryOfFloat16() {
    GpuBatching.Limits half = GpuBatching.plan(4 * GIB, BGE_SMALL, 512, 2);
    GpuBatching.Limits full = GpuBatching.plan(4 * GIB, BGE_SMALL, 512, 4);
    assertTrue(half.batchTokens() < (long) GpuBatching.MAX_WINDOWS * 512, "4 GiB is in the memory-bound range");
    assertEquals(half.batchTokens() / 2.0, full.batchTokens(), half.batchTokens() * 0.01);
    assertEquals(half.scoreBlockFloats() / 2.0, full.scoreBlockFloats(), half.scoreBlockFloats() * 0.01);
  }

  @Test
  void aLargeGpuIsCappedAtMaxWindows() {
    GpuBatching.Limits l = GpuBatching.plan(139 * GIB, BGE_SMALL, 512, 2);
    assertEquals(GpuBatching.MAX_WINDOWS, l.batchSize());
    assertEquals(GpuBatching.MAX_WINDOWS * 512, l.batchTokens());
    assertEquals(GpuBatching.MAX_SCORE_BLOCK, l.scoreBlockFloats());
  }

  @Test
  void tooLittleMemoryStillRunsOneWindowInQueryBlocks() {
    for (long free : new long[] {0, 100L << 20, GpuBatching.RESERVE_BYTES + (64L << 20)}) {
      GpuBatching.Limits l = GpuBatching.plan(free, JINA_BASE, 8192, 2);
      assertEquals(1, l.batchSize(), "free " + free);
      assertEquals(8192, l.batchTokens());
      // At least 16 query rows of the 8192-token window per block, as BertEncoder.queryBlock needs.
      assertTrue(l.scoreBlockFloats() >= 16L * 12 * 8192);
      assertTrue(BertEncoder.queryBlock(12, 8192, l.scoreBlockFloats()) >= 16);
    }
  }
}
