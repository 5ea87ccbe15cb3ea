package org.doppel.job.decide;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import org.doppel.job.data.EmbeddedText;
import org.doppel.job.report.Json;
import org.doppel.model.Chunk;

/**
 * Window-level alignment of two texts: the best matching window pairs (at most {@link #TOP}, each window
 * used once, best first) and how much of each text has a matching window in the other
 * ({@code coverageA}: the fraction of A's characters inside A-windows whose best B-window scores at least
 * the match threshold). "A is contained in B" shows as coverageA near 1 and coverageB well below it.
 */
public record Alignment(List<Passage> top, double coverageA, double coverageB) implements Serializable {
  public static final int TOP = 3;

  public Passage best() {
    return top.isEmpty() ? null : top.get(0);
  }

  public Alignment swapped() {
    return new Alignment(top.stream().map(Passage::swapped).toList(), coverageB, coverageA);
  }

  /** The same text on both sides (exact copies): its first window, full coverage. */
  static Alignment identical(EmbeddedText t) {
    Chunk c = t.chunks().get(0);
    String s = t.text().substring(c.startChar(), c.endChar());
    return new Alignment(List.of(new Passage(c.startChar(), c.endChar(), s, c.startChar(), c.endChar(), s, 1.0)), 1.0, 1.0);
  }

  /**
   * The alignment of two texts' windows. Passage texts are cut only where the texts carry their characters; the
   * decision works on copies without them, and {@link #cut} fills them in for the pairs it reports.
   */
  static Alignment of(EmbeddedText a, EmbeddedText b, double matchThreshold) {
    List<Chunk> ca = a.chunks(), cb = b.chunks();
    double[][] sim = new double[ca.size()][cb.size()];
    for (int i = 0; i < ca.size(); i++) {
      for (int j = 0; j < cb.size(); j++) sim[i][j] = PassageAligner.dot(ca.get(i).vector(), cb.get(j).vector());
    }
    boolean[] usedA = new boolean[ca.size()], usedB = new boolean[cb.size()];
    List<Passage> top = new ArrayList<>();
    while (top.size() < TOP) {
      int bi = -1, bj = -1;
      for (int i = 0; i < ca.size(); i++) {
        if (usedA[i]) continue;
        for (int j = 0; j < cb.size(); j++) {
          if (!usedB[j] && (bi < 0 || sim[i][j] > sim[bi][bj])) {
            bi = i;
            bj = j;
          }
        }
      }
      if (bi < 0) break;
      usedA[bi] = true;
      usedB[bj] = true;
      Chunk x = ca.get(bi), y = cb.get(bj);
      top.add(new Passage(x.startChar(), x.endChar(), null, y.startChar(), y.endChar(), null, Math.min(1.0, sim[bi][bj])));
    }
    Alignment al = new Alignment(top, coverage(ca, sim, matchThreshold, a.chars(), false),
        coverage(cb, sim, matchThreshold, b.chars(), true));
    return a.text() == null || b.text() == null ? al : al.cut(a.text(), b.text());
  }

  /** The same alignment with each passage's text cut from the two texts. */
  public Alignment cut(String a, String b) {
    List<Passage> out = new ArrayList<>(top.size());
    for (Passage p : top) {
      out.add(new Passage(p.aStart(), p.aEnd(), a.substring(p.aStart(), p.aEnd()), p.bStart(), p.bEnd(),
          b.substring(p.bStart(), p.bEnd()), p.score()));
    }
    return new Alignment(out, coverageA, coverageB);
  }

  /** Fraction of a text's characters covered by its windows that have a match on the other side. */
  private static double coverage(List<Chunk> chunks, double[][] sim, double threshold, int length, boolean columns) {
    if (length == 0) return 0;
    int covered = 0, end = 0;
    for (int k = 0; k < chunks.size(); k++) {
      double best = Double.NEGATIVE_INFINITY;
      int n = columns ? sim.length : sim[k].length;
      for (int m = 0; m < n; m++) best = Math.max(best, columns ? sim[m][k] : sim[k][m]);
      if (best < threshold) continue;
      Chunk c = chunks.get(k); // windows are in order and overlap: count each character once
      int from = Math.max(c.startChar(), end);
      if (c.endChar() > from) covered += c.endChar() - from;
      end = Math.max(end, c.endChar());
    }
    return Math.min(1.0, covered / (double) length);
  }

  /** One entry of the reports' {@code passages} column; the score to 4 decimals, as the other score columns read. */
  record TopPassage(@JsonProperty("a_start") int aStart, @JsonProperty("a_end") int aEnd,
                    @JsonProperty("b_start") int bStart, @JsonProperty("b_end") int bEnd, BigDecimal score) {}

  /** The top window pairs' offsets and scores, as a compact JSON array for the reports. */
  public String topJson() {
    return Json.line(top.stream().map(p -> new TopPassage(p.aStart(), p.aEnd(), p.bStart(), p.bEnd(),
        BigDecimal.valueOf(p.score()).setScale(4, RoundingMode.HALF_UP))).toList());
  }
}
