package org.doppel.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which windows go through a forward pass together: sorted by decreasing length so that each batch
 * pads little, at most {@code batchSize} windows and about {@code batchTokens} padded tokens per
 * batch (one window always fits). Planning only; the caller builds and runs each batch.
 */
final class Batches {
  private Batches() {}

  /**
   * @param members indices into the planned list, longest first
   * @param length the longest member's length (the batch's padded length)
   */
  record Batch(int[] members, int length) {
    int size() {
      return members.length;
    }
  }

  static List<Batch> plan(List<long[]> windows, int batchSize, int batchTokens) {
    int n = windows.size();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(order, (a, b) -> Integer.compare(windows.get(b).length, windows.get(a).length));
    List<Batch> out = new ArrayList<>();
    for (int s = 0; s < n; ) {
      int len = windows.get(order[s]).length;
      int b = Math.min(n - s, Math.min(batchSize, Math.max(1, batchTokens / Math.max(1, len))));
      int[] members = new int[b];
      for (int i = 0; i < b; i++) members[i] = order[s + i];
      out.add(new Batch(members, len));
      s += b;
    }
    return out;
  }
}
