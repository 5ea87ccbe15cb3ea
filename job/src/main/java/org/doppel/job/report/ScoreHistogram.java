package org.doppel.job.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.doppel.job.decide.PairRow;

/**
 * Pair scores in bands of equal width over the range the scores take (rounded out to the band width), exact
 * pairs apart, drawn as an inline SVG bar chart: one score scale on the x axis (the exact copies' bar stands beside
 * it, apart), one linear count scale on the y axis, the threshold marked where it falls on the axis. The width is
 * the narrowest of 1, 2 or 5 x 10^k (down to the 4 decimals scores are shown with) that needs at most
 * {@link #MAX_BANDS} bands. A calibrated probability crowds near 1 (sample-docs: 47 pairs from 0.99997 to
 * 0.99999999), where no linear band resolves it: when one linear band would hold more than half the pairs, the
 * axis counts nines instead, -log10(1 - score) (0.9 = 1, 0.99 = 2, ...), if that spreads them better. Each band
 * keeps a few example pairs (lowest, middle, highest score) so a reader can see what a stricter threshold would drop.
 */
final class ScoreHistogram {
  private static final int MAX_BANDS = 20;
  /** 1 - score is taken as at least this on the nines axis (a score of exactly 1 sits at 12 nines). */
  private static final double CLOSEST = 1e-12;
  static final int EXAMPLES = 3;

  /** Scores in [from, to) (the last semantic band also holds its upper edge); {@code exact} for the exact band. */
  record Band(String id, double from, double to, boolean exact, List<PairRow> pairs, List<PairRow> examples, int decimals) {
    String label() {
      return exact ? "exact copies" : fixed(from, decimals) + "\u2013" + fixed(to, decimals);
    }
  }

  /** Bands on one axis: {@code nines} or linear; lo and width in axis units; decimals to tell edges apart. */
  private record Layout(boolean nines, double lo, double width, int n, int decimals, List<List<PairRow>> members) {
    double axis(double score) {
      return nines ? -Math.log10(Math.max(CLOSEST, 1 - score)) : score;
    }

    double score(double axis) {
      return nines ? 1 - Math.pow(10, -axis) : axis;
    }

    int fullest() {
      return members.stream().mapToInt(List::size).max().orElse(0);
    }

    static Layout of(boolean nines, List<PairRow> sorted, double threshold) {
      Layout unit = new Layout(nines, 0, 1, 1, 0, List.of());
      double min = unit.axis(sorted.isEmpty() ? threshold : sorted.get(0).score());
      double max = unit.axis(sorted.isEmpty() ? threshold : sorted.get(sorted.size() - 1).score());
      double width = ScoreHistogram.width(min, max, nines ? 0.1 : 1e-4);
      double lo = Math.floor(min / width + 1e-9) * width;
      int n = Math.max(1, (int) Math.ceil((max - lo) / width - 1e-9));
      int decimals = nines ? Math.min(12, (int) Math.ceil(lo + n * width - 1e-9) + 1)
          : Math.max(2, (int) Math.ceil(-Math.log10(width) - 1e-9));
      List<List<PairRow>> members = new ArrayList<>();
      for (int k = 0; k < n; k++) members.add(new ArrayList<>());
      for (PairRow p : sorted) {
        members.get(Math.max(0, Math.min(n - 1, (int) Math.floor((unit.axis(p.score()) - lo) / width + 1e-9)))).add(p);
      }
      return new Layout(nines, lo, width, n, decimals, members);
    }
  }

  private final double threshold;
  private final List<Band> bands = new ArrayList<>();
  private final List<PairRow> semantic;
  private final Layout layout;

  ScoreHistogram(List<PairRow> pairs, double threshold) {
    this.threshold = threshold;
    this.semantic = pairs.stream().filter(p -> !PairRow.EXACT.equals(p.method()))
        .sorted(Comparator.comparingDouble(PairRow::score)).toList();
    Layout linear = Layout.of(false, semantic, threshold);
    Layout nines = linear.fullest() * 2 > semantic.size() ? Layout.of(true, semantic, threshold) : null;
    this.layout = nines != null && nines.fullest() < linear.fullest() ? nines : linear;
    for (int k = 0; k < layout.n(); k++) {
      List<PairRow> m = layout.members().get(k);
      bands.add(new Band("band-" + k, layout.score(layout.lo() + k * layout.width()),
          layout.score(layout.lo() + (k + 1) * layout.width()), false, m, examples(m), layout.decimals()));
    }
    List<PairRow> exact = pairs.stream().filter(p -> PairRow.EXACT.equals(p.method())).toList();
    bands.add(new Band("band-exact", 1, 1, true, exact, examples(exact), layout.decimals()));
  }

  /** The narrowest 1, 2 or 5 x 10^k, at least {@code finest}, that covers [min, max] in at most MAX_BANDS bands. */
  static double width(double min, double max, double finest) {
    for (double p = finest; ; p *= 10) {
      for (int m : new int[] {1, 2, 5}) {
        double w = m * p, lo = Math.floor(min / w + 1e-9) * w;
        if (Math.ceil((max - lo) / w - 1e-9) <= MAX_BANDS || w >= 1) return w;
      }
    }
  }

  /** Lowest, median and highest semantic score and the bands' width, for the caption ("" without semantic pairs). */
  String spread() {
    if (semantic.isEmpty()) return "";
    int d = Math.max(layout.decimals(), 4);
    return "Non-exact pairs score from " + fixed(semantic.get(0).score(), d) + " to "
        + fixed(semantic.get(semantic.size() - 1).score(), d) + " (median " + fixed(semantic.get(semantic.size() / 2).score(), d)
        + "), in bands of " + (layout.nines() ? fmt(layout.width()) + " nines on a scale of nines (0.9, 0.99, 0.999, ... "
        + "equally spaced), as they crowd near 1." : fixed(layout.width(), layout.decimals()) + ".");
  }

  List<Band> bands() {
    return bands;
  }

  /** Lowest, middle and highest scoring pair of a band (fewer when the band is smaller). */
  private static List<PairRow> examples(List<PairRow> sorted) {
    if (sorted.size() <= EXAMPLES) return sorted;
    List<PairRow> out = new ArrayList<>();
    for (int k = 0; k < EXAMPLES; k++) out.add(sorted.get((int) Math.round(k * (sorted.size() - 1) / (double) (EXAMPLES - 1))));
    return out;
  }

  /**
   * The bar chart: one bar per band (links to its examples), bar height = pairs on one count scale; the x axis is
   * one linear score scale, labelled at band edges; the exact copies' bar stands apart to its right.
   */
  String svg() {
    int w = 960, h = 240, left = 48, right = 16, top = 20, bottom = 44, gap = 24;
    int semanticBands = bands.size() - 1;
    double slot = (w - left - right - gap) / (double) (semanticBands + 1);
    int plotH = h - top - bottom;
    double axisEnd = left + slot * semanticBands;
    int most = 1;
    for (Band b : bands) most = Math.max(most, b.pairs().size());
    long step = niceStep(most / 4.0), max = step * (long) Math.ceil(most / (double) step);
    StringBuilder sb = new StringBuilder();
    sb.append("<svg class=\"histogram\" viewBox=\"0 0 ").append(w).append(' ').append(h)
        .append("\" role=\"img\" aria-label=\"Histogram of pair scores\">");
    for (long c = 0; c <= max; c += step) { // horizontal grid with whole counts
      double y = top + plotH - plotH * c / (double) max;
      sb.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", left,
          w - right, y, y));
      sb.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
          left - 6, y + 4, Html.count(c)));
    }
    int every = Math.max(1, (int) Math.ceil(semanticBands / 10.0));
    for (int k = 0; k < bands.size(); k++) {
      Band b = bands.get(k);
      double bh = plotH * b.pairs().size() / (double) max;
      double x = b.exact() ? axisEnd + gap + slot * 0.2 : left + k * slot + 1;
      double bw = b.exact() ? slot * 0.6 : slot - 2;
      sb.append("<a href=\"#").append(b.id()).append("\"><title>").append(Html.esc(b.label())).append(": ")
          .append(Html.count(b.pairs().size())).append(b.pairs().size() == 1 ? " pair" : " pairs").append("</title>");
      sb.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
          b.exact() ? "bar exact" : "bar", x, top + plotH - bh, bw, Math.max(bh, b.pairs().isEmpty() ? 0 : 1)));
      if (!b.pairs().isEmpty()) {
        sb.append(String.format(Locale.ROOT, "<text class=\"count\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>",
            x + bw / 2, top + plotH - bh - 4, b.pairs().size()));
      }
      sb.append("</a>");
      if (b.exact()) {
        sb.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">exact</text>",
            x + bw / 2, h - bottom + 16));
      }
    }
    double lo = layout.lo(), hi = layout.lo() + layout.n() * layout.width();
    int firstNine = (int) Math.ceil(lo - 1e-9), lastNine = (int) Math.floor(hi + 1e-9);
    if (layout.nines() && lastNine - firstNine >= 1) { // ticks at whole nines: 0.999, 0.9999, ...
      for (int u = Math.max(1, firstNine); u <= lastNine; u++) {
        tick(sb, left + slot * semanticBands * (u - lo) / (hi - lo), h - bottom + 16, "0." + "9".repeat(u));
      }
    } else { // ticks at every band edge, or every few, evenly
      for (int k = 0; k <= semanticBands; k += every) {
        tick(sb, left + k * slot, h - bottom + 16, fixed(layout.score(lo + k * layout.width()), layout.decimals()));
      }
    }
    double t = layout.axis(threshold);
    if (t >= lo - 1e-9 && t <= hi + 1e-9) {
      double tx = left + slot * semanticBands * (t - lo) / (hi - lo);
      sb.append(String.format(Locale.ROOT, "<line class=\"threshold\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>", tx, tx,
          top - 8, top + plotH));
      sb.append(String.format(Locale.ROOT, "<text class=\"threshold-label\" x=\"%.1f\" y=\"%d\">threshold %s</text>", tx + 4,
          top - 2, fmt(threshold)));
    } else {
      sb.append(String.format(Locale.ROOT, "<text class=\"threshold-label\" x=\"%d\" y=\"%d\">threshold %s: %s the axis</text>",
          left, top - 6, fmt(threshold), t < lo ? "below" : "above"));
    }
    sb.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
        + "pair score: the decision's probability of a near-duplicate%s (bars link to example pairs)</text>", (left + axisEnd) / 2,
        h - 8, layout.nines() ? ", on a scale of nines" : ""));
    return sb.append("</svg>").toString();
  }

  private static void tick(StringBuilder sb, double x, int y, String label) {
    sb.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, y,
        label));
  }

  static String fixed(double x, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", x);
  }

  static String fmt(double x) {
    String s = String.format(Locale.ROOT, "%.4f", x);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s + "0" : s;
  }

  /** 1, 2 or 5 times a power of ten, at least {@code x} (and at least 1: counts are whole). */
  static long niceStep(double x) {
    long p = 1;
    while (true) {
      for (long m : new long[] {1, 2, 5}) if (m * p >= x) return m * p;
      p *= 10;
    }
  }
}
