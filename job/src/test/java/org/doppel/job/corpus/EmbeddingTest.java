package org.doppel.job.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EmbeddingTest {
  @Test
  void embeddingTasksGrowWithTheTextsSoProgressKeepsMoving() {
    assertEquals(4, Embedding.slices(0, 4), "never fewer tasks than the run's partitions");
    assertEquals(4, Embedding.slices(4 * Embedding.TEXTS_PER_TASK, 4));
    assertEquals(5, Embedding.slices(4 * Embedding.TEXTS_PER_TASK + 1, 4));
    assertEquals(295, Embedding.slices(58_876, 4), "a 58,876-text stage reports 295 steps, not 4");
    assertEquals(1, Embedding.slices(3, 0));
  }
}
