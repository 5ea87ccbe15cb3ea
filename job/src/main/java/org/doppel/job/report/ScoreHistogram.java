package org.doppel.job.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.doppel.job.decide.PairRow;

/**
 * Pair scores in bands of equal width from just below the threshold to 1, exact pairs apart, drawn as an
 * inline SVG bar chart with the threshold marked. Each band keeps a few example pairs (lowest, middle,
 * highest score) so a reader can see what a stricter threshold would drop.
 */
final class ScoreHistogram {
  private static final double[] WIDTHS = {0.0025, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1};
  private static final int MAX_BANDS = 24;
  static final int EXAMPLES = 3;

  /** Scores in [from, to) (the last semantic band also holds 1.0); {@code exact} for the exact band. */
  record Band(String id, double from, double to, boolean exact, List<PairRow> pairs, List<PairRow> examples) {
    String label() {
      return exact ? "exact copies" : String.format(Locale.ROOT, "%s\u2013%s", fmt(from), fmt(to));
    }
  }

  private final double threshold;
  private final List<Band> bands = new ArrayList<>();

  ScoreHistogram(List<PairRow> pairs, double threshold) {
    this.threshold = threshold;
    List<PairRow> semantic = pairs.stream().filter(p -> !PairRow.EXACT.equals(p.method()))
        .sorted(Comparator.comparingDouble(PairRow::score)).toList();
    double min = semantic.isEmpty() ? threshold : Math.min(threshold, semantic.get(0).score());
    double lo = Math.max(0, Math.floor(min * 100 + 1e-6) / 100); // a round number at or just below
    double width = WIDTHS[WIDTHS.length - 1];
    for (double w : WIDTHS) {
      if (Math.ceil((1 - lo) / w - 1e-9) <= MAX_BANDS) {
        width = w;
        break;
      }
    }
    int n = Math.max(1, (int) Math.ceil((1 - lo) / width - 1e-9));
    List<List<PairRow>> members = new ArrayList<>();
    for (int k = 0; k < n; k++) members.add(new ArrayList<>());
    for (PairRow p : semantic) members.get(Math.max(0, Math.min(n - 1, (int) Math.floor((p.score() - lo) / width + 1e-9)))).add(p);
    for (int k = 0; k < n; k++) {
      bands.add(new Band("band-" + k, lo + k * width, Math.min(1, lo + (k + 1) * width), false, members.get(k),
          examples(members.get(k))));
    }
    List<PairRow> exact = pairs.stream().filter(p -> PairRow.EXACT.equals(p.method())).toList();
    bands.add(new Band("band-exact", 1, 1, true, exact, examples(exact)));
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

  /** The bar chart: one bar per band (links to its examples), bar height = pairs, a dashed line at the threshold. */
  String svg() {
    int w = 960, h = 240, left = 48, right = 16, top = 20, bottom = 44;
    int plotW = w - left - right, plotH = h - top - bottom;
    int most = 1;
    for (Band b : bands) most = Math.max(most, b.pairs().size());
    long step = niceStep(most / 4.0), max = step * (long) Math.ceil(most / (double) step);
    double slot = plotW / (double) bands.size();
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
    for (int k = 0; k < bands.size(); k++) {
      Band b = bands.get(k);
      double bh = plotH * b.pairs().size() / (double) max;
      double x = left + k * slot + (b.exact() ? slot * 0.25 : 1);
      double bw = b.exact() ? slot * 0.5 : slot - 2;
      sb.append("<a href=\"#").append(b.id()).append("\"><title>").append(Html.esc(b.label())).append(": ")
          .append(Html.count(b.pairs().size())).append(b.pairs().size() == 1 ? " pair" : " pairs").append("</title>");
      sb.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
          b.exact() ? "bar exact" : "bar", x, top + plotH - bh, bw, Math.max(bh, b.pairs().isEmpty() ? 0 : 1)));
      if (!b.pairs().isEmpty()) {
        sb.append(String.format(Locale.ROOT, "<text class=\"count\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>",
            x + bw / 2, top + plotH - bh - 4, b.pairs().size()));
      }
      sb.append("</a>");
      int every = Math.max(1, (int) Math.ceil(bands.size() / 12.0));
      if (b.exact() || k % every == 0) {
        sb.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s</text>",
            b.exact() ? x + bw / 2 : left + k * slot, h - bottom + 16, b.exact() ? "middle" : "start",
            b.exact() ? "exact" : fmt(b.from())));
      }
    }
    int semanticBands = bands.size() - 1;
    Band first = bands.get(0), last = bands.get(semanticBands - 1);
    double span = last.to() - first.from();
    double tx = left + slot * semanticBands * (span <= 0 ? 0 : (threshold - first.from()) / span);
    sb.append(String.format(Locale.ROOT, "<line class=\"threshold\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>", tx, tx,
        top - 8, top + plotH));
    sb.append(String.format(Locale.ROOT, "<text class=\"threshold-label\" x=\"%.1f\" y=\"%d\">threshold %s</text>", tx + 4,
        top - 2, fmt(threshold)));
    sb.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
        + "pair score: the decision's probability of a near-duplicate (bars link to example pairs)</text>", left + plotW / 2, h - 8));
    return sb.append("</svg>").toString();
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
