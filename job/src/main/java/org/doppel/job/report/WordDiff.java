package org.doppel.job.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which words two matched passages share: the longest common subsequence of their words (case and
 * surrounding punctuation ignored). report.html marks the words outside it, so an edit between two
 * near-duplicates shows at a glance.
 */
final class WordDiff {
  /** Passages whose word grid would be larger than this are shown without a diff (memory stays bounded). */
  static final long MAX_CELLS = 2_000_000;
  /** Longer runs without whitespace (base64, tables) are cut into pieces, so a long window can lose its middle. */
  static final int MAX_WORD = 64;

  private WordDiff() {}

  /** Runs of whitespace and runs of anything else, in order; concatenated they give the text back. */
  static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      boolean space = Character.isWhitespace(text.charAt(i));
      int j = i + 1;
      while (j < text.length() && Character.isWhitespace(text.charAt(j)) == space && (space || j - i < MAX_WORD)) j++;
      if (j < text.length() && Character.isLowSurrogate(text.charAt(j))) j++; // never split a surrogate pair
      out.add(text.substring(i, j));
      i = j;
    }
    return out;
  }

  static boolean isWord(String token) {
    return !token.isEmpty() && !Character.isWhitespace(token.charAt(0));
  }

  /**
   * Per token of each side: whether it is whitespace or a word in the common subsequence. Null when the
   * passages are too long to compare.
   */
  static boolean[][] common(List<String> a, List<String> b) {
    List<Integer> wa = wordIndexes(a), wb = wordIndexes(b);
    int n = wa.size(), m = wb.size();
    if ((long) (n + 1) * (m + 1) > MAX_CELLS) return null;
    String[] ka = keys(a, wa), kb = keys(b, wb);
    int[] len = new int[(n + 1) * (m + 1)]; // len[i][j]: LCS of the words from i and from j on
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        len[i * (m + 1) + j] = ka[i].equals(kb[j]) ? len[(i + 1) * (m + 1) + j + 1] + 1
            : Math.max(len[(i + 1) * (m + 1) + j], len[i * (m + 1) + j + 1]);
      }
    }
    boolean[] ca = spaces(a), cb = spaces(b);
    int i = 0, j = 0;
    while (i < n && j < m) {
      if (ka[i].equals(kb[j])) {
        ca[wa.get(i++)] = true;
        cb[wb.get(j++)] = true;
      } else if (len[(i + 1) * (m + 1) + j] >= len[i * (m + 1) + j + 1]) {
        i++;
      } else {
        j++;
      }
    }
    return new boolean[][] {ca, cb};
  }

  private static List<Integer> wordIndexes(List<String> tokens) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) if (isWord(tokens.get(i))) out.add(i);
    return out;
  }

  private static String[] keys(List<String> tokens, List<Integer> words) {
    String[] out = new String[words.size()];
    for (int k = 0; k < out.length; k++) {
      String w = tokens.get(words.get(k)).toLowerCase(Locale.ROOT);
      int s = 0, e = w.length();
      while (s < e && !Character.isLetterOrDigit(w.charAt(s))) s++;
      while (e > s && !Character.isLetterOrDigit(w.charAt(e - 1))) e--;
      out[k] = s < e ? w.substring(s, e) : w;
    }
    return out;
  }

  private static boolean[] spaces(List<String> tokens) {
    boolean[] out = new boolean[tokens.size()];
    for (int i = 0; i < out.length; i++) out[i] = !isWord(tokens.get(i));
    return out;
  }
}
