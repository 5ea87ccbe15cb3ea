package org.doppel.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a tokenised text into overlapping windows. Every token is covered; nothing is truncated.
 *
 * <p>Each window holds at most {@code content = windowTokens - 2} content tokens plus [CLS] and
 * [SEP]. Window {@code i} starts at token {@code i * stride} with {@code stride = content -
 * overlap}; the last window ends at the last token and may be short. For {@code n} tokens the count
 * is 0 if {@code n == 0}, 1 if {@code n <= content}, else {@code 1 + ceil((n - content) / stride)}.
 */
final class Windower {

  /** A window: content tokens [fromToken, toToken) of the text, and its char span. */
  record Window(int index, int fromToken, int toToken, int startChar, int endChar, long[] ids) {
    int contentTokens() {
      return toToken - fromToken;
    }
  }

  final int content;
  final int stride;
  private final long clsId;
  private final long sepId;

  Windower(int windowTokens, int overlapTokens, long clsId, long sepId) {
    if (windowTokens < 3) {
      throw new IllegalArgumentException("windowTokens must be at least 3: " + windowTokens);
    }
    this.content = windowTokens - 2;
    if (overlapTokens >= content) {
      throw new IllegalArgumentException(
          "overlapTokens (" + overlapTokens + ") must be smaller than windowTokens - 2 (" + content + ")");
    }
    this.stride = content - overlapTokens;
    this.clsId = clsId;
    this.sepId = sepId;
  }

  static int expectedWindows(int tokens, int content, int stride) {
    if (tokens == 0) return 0;
    if (tokens <= content) return 1;
    return 1 + (tokens - content + stride - 1) / stride;
  }

  /**
   * @param ids content token ids of the whole text (no special tokens)
   * @param starts token start chars (UTF-16 index)
   * @param ends token end chars (UTF-16 index, exclusive)
   * @param textLength length of the text; the first window starts at 0, the last ends here
   */
  List<Window> windows(long[] ids, int[] starts, int[] ends, int textLength) {
    int n = ids.length;
    List<Window> out = new ArrayList<>(expectedWindows(n, content, stride));
    if (n == 0) return out;
    int from = 0;
    int index = 0;
    while (true) {
      int to = Math.min(from + content, n);
      boolean last = to == n;
      long[] w = new long[to - from + 2];
      w[0] = clsId;
      System.arraycopy(ids, from, w, 1, to - from);
      w[w.length - 1] = sepId;
      int startChar = index == 0 ? 0 : starts[from];
      int endChar = last ? textLength : ends[to - 1];
      out.add(new Window(index, from, to, startChar, endChar, w));
      if (last) break;
      from += stride;
      index++;
    }
    return out;
  }
}
