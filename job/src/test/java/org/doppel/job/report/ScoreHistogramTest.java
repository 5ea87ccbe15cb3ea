package org.doppel.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.decide.PairRow;
import org.junit.jupiter.api.Test;

class ScoreHistogramTest {
  static List<PairRow> pairs(double... scores) {
    List<PairRow> out = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      DocumentRow a = doc("a" + i), b = doc("b" + i);
      out.add(PairRow.of(a, b, scores[i], scores[i] == 1 ? PairRow.EXACT : PairRow.BOTH, "r", null));
    }
    return out;
  }

  static DocumentRow doc(String path) {
    return new DocumentRow(DocumentRow.docIdFor(path), "in", path, 1, "s", "t", "text/plain", "ok", null, 1, 0, null, null, null);
  }

  @Test
  void pairsThatAllScoreNearOneStillSpreadOverBands() {
    double[] scores = new double[40];
    for (int i = 0; i < scores.length; i++) scores[i] = 0.9951 + i * 0.0048 / (scores.length - 1);
    ScoreHistogram h = new ScoreHistogram(pairs(scores), 0.45);
    List<ScoreHistogram.Band> semantic = h.bands().stream().filter(b -> !b.exact()).toList();
    assertTrue(semantic.stream().filter(b -> !b.pairs().isEmpty()).count() >= 5, "bands: " + semantic.size());
    assertTrue(semantic.size() <= 20);
    assertTrue(semantic.get(0).from() <= 0.9951 && semantic.get(semantic.size() - 1).to() >= 0.9999);
    assertEquals(40, semantic.stream().mapToInt(b -> b.pairs().size()).sum(), "every pair in one band");
    assertEquals(semantic.size(), semantic.stream().map(ScoreHistogram.Band::label).distinct().count(), "labels tell bands apart");
    assertTrue(h.svg().contains("threshold 0.45: below the axis"), "the threshold is named, not drawn off the scale");
  }

  @Test
  void probabilitiesThatCrowdNearOneSpreadOnAScaleOfNines() {
    // as sample-docs scores: 47 pairs from 0.99997 to 0.99999999, all "1.0000" to four decimals
    double[] scores = new double[47];
    for (int i = 0; i < scores.length; i++) scores[i] = 1 - Math.pow(10, -(4.5 + 3.4 * i / (scores.length - 1)));
    ScoreHistogram h = new ScoreHistogram(pairs(scores), 0.45);
    List<ScoreHistogram.Band> semantic = h.bands().stream().filter(b -> !b.exact()).toList();
    long filled = semantic.stream().filter(b -> !b.pairs().isEmpty()).count();
    assertTrue(filled >= 4, "non-empty bands: " + filled);
    assertTrue(semantic.stream().allMatch(b -> b.pairs().size() * 2 <= scores.length), "no band holds half the pairs");
    assertEquals(47, semantic.stream().mapToInt(b -> b.pairs().size()).sum());
    assertEquals(semantic.size(), semantic.stream().map(ScoreHistogram.Band::label).distinct().count(), "labels tell bands apart");
    assertTrue(h.spread().contains("scale of nines") && h.svg().contains("on a scale of nines"), h.spread());
    for (int k = 1; k < semantic.size(); k++) assertEquals(semantic.get(k - 1).to(), semantic.get(k).from(), 1e-15, "bands abut");
  }

  @Test
  void theWholeRangeGetsRoundBandsWithTheThresholdOnTheAxis() {
    ScoreHistogram h = new ScoreHistogram(pairs(0.46, 0.5, 0.7, 0.9, 0.99, 1.0, 1.0), 0.45);
    List<ScoreHistogram.Band> semantic = h.bands().stream().filter(b -> !b.exact()).toList();
    assertEquals(0.05, semantic.get(1).from() - semantic.get(0).from(), 1e-9);
    assertEquals(0.45, semantic.get(0).from(), 1e-9);
    assertEquals(2, h.bands().get(h.bands().size() - 1).pairs().size(), "exact copies apart");
    assertTrue(h.svg().contains(">threshold 0.45</text>"));
    assertTrue(h.spread().contains("from 0.4600 to 0.9900"), h.spread());
  }
}
