package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowerTest {

  private static long[] ids(int n) {
    long[] a = new long[n];
    for (int i = 0; i < n; i++) a[i] = 1000 + i;
    return a;
  }

  /** Token i spans chars [2i, 2i+1) of a text of 2n chars ("x " repeated). */
  private static List<Windower.Window> cut(Windower w, int n) {
    int[] s = new int[n];
    int[] e = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = 2 * i;
      e[i] = 2 * i + 1;
    }
    return w.windows(ids(n), s, e, 2 * n);
  }

  @Test
  void smallWindowsCoverEveryTokenWithOverlap() {
    Windower w = new Windower(6, 1, 101, 102); // 4 content tokens, stride 3
    List<Windower.Window> ws = cut(w, 10);
    // tokens 0-3, 3-6, 6-9: the last one reaches token 9
    assertEquals(3, ws.size());
    assertEquals(Windower.expectedWindows(10, 4, 3), ws.size());
    assertArrayEquals(new long[] {101, 1000, 1001, 1002, 1003, 102}, ws.get(0).ids());
    assertArrayEquals(new long[] {101, 1003, 1004, 1005, 1006, 102}, ws.get(1).ids());
    assertArrayEquals(new long[] {101, 1006, 1007, 1008, 1009, 102}, ws.get(2).ids());
    assertEquals(0, ws.get(0).startChar());
    assertEquals(7, ws.get(0).endChar()); // end of token 3
    assertEquals(6, ws.get(1).startChar()); // start of token 3
    assertEquals(20, ws.get(2).endChar()); // text length
  }

  @Test
  void lastWindowMayBeShortAndNothingIsTruncated() {
    Windower w = new Windower(6, 1, 101, 102);
    for (int n = 0; n <= 40; n++) {
      List<Windower.Window> ws = cut(w, n);
      assertEquals(Windower.expectedWindows(n, 4, 3), ws.size(), "n=" + n);
      boolean[] seen = new boolean[n];
      int prevFrom = -1;
      for (int i = 0; i < ws.size(); i++) {
        Windower.Window x = ws.get(i);
        assertEquals(i, x.index());
        assertTrue(x.fromToken() > prevFrom);
        assertTrue(x.contentTokens() >= 1 && x.contentTokens() <= 4);
        assertEquals(x.contentTokens() + 2, x.ids().length);
        for (int t = x.fromToken(); t < x.toToken(); t++) seen[t] = true;
        if (i > 0) assertEquals(1, ws.get(i - 1).toToken() - x.fromToken(), "overlap");
        prevFrom = x.fromToken();
      }
      for (int t = 0; t < n; t++) assertTrue(seen[t], "token " + t + " of " + n);
      if (n > 0) assertEquals(n, ws.get(ws.size() - 1).toToken());
    }
  }

  @Test
  void singleShortWindowAndZeroOverlap() {
    Windower w = new Windower(10, 0, 1, 2);
    assertEquals(1, cut(w, 3).size());
    assertEquals(1, cut(w, 8).size());
    assertEquals(2, cut(w, 9).size());
    assertEquals(8, cut(w, 9).get(1).fromToken());
    assertThrows(IllegalArgumentException.class, () -> new Windower(6, 4, 1, 2));
  }
}
