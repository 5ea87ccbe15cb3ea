package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The length-sorted batch plan that the embedder and the OnnxRuntime reference share. */
class BatchesTest {

  @Test
  void everyWindowOnceLongestFirstWithinBothCaps() {
    Random r = new Random(7);
    List<long[]> windows = new ArrayList<>();
    for (int i = 0; i < 300; i++) windows.add(new long[3 + r.nextInt(510)]);
    windows.add(new long[2000]); // longer than the token cap: a batch of its own
    int batchSize = 16;
    int batchTokens = 4096;
    boolean[] seen = new boolean[windows.size()];
    int lastLength = Integer.MAX_VALUE;
    for (Batches.Batch b : Batches.plan(windows, batchSize, batchTokens)) {
      assertTrue(b.size() >= 1 && b.size() <= batchSize, "batch size " + b.size());
      assertTrue(b.size() == 1 || (long) b.size() * b.length() <= batchTokens, "padded tokens " + b.size() * b.length());
      assertTrue(b.length() <= lastLength, "longest batches first");
      lastLength = b.length();
      for (int m : b.members()) {
        assertTrue(!seen[m], "window " + m + " twice");
        seen[m] = true;
        assertTrue(windows.get(m).length <= b.length(), "the batch pads to its longest member");
      }
      assertEquals(b.length(), windows.get(b.members()[0]).length);
    }
    for (int i = 0; i < seen.length; i++) assertTrue(seen[i], "window " + i + " planned");
  }

  @Test
  void noWindowsNoBatches() {
    assertEquals(0, Batches.plan(List.of(), 16, 4096).size());
  }
}
