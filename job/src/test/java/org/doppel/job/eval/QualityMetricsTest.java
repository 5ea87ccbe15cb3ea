package org.doppel.job.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scorer on hand-made cases with known precision, recall, F1 and ARI. */
class QualityMetricsTest {
  final Map<String, String> truth = new LinkedHashMap<>(Map.of("a", "1", "b", "1", "c", "1", "d", "2", "e", "2", "f", "3"));

  @Test
  void perfectPrediction() {
    QualityMetrics.Scores s = QualityMetrics.score(truth, List.of(List.of("a", "b"), List.of("b", "c"), List.of("a", "c"), List.of("d", "e")));
    assertEquals(1.0, s.precision(), 1e-12);
    assertEquals(1.0, s.recall(), 1e-12);
    assertEquals(1.0, s.f1(), 1e-12);
    assertEquals(1.0, s.ari(), 1e-12);
  }

  @Test
  void emptyPrediction() {
    QualityMetrics.Scores s = QualityMetrics.score(truth, List.of());
    assertEquals(0.0, s.precision(), 1e-12); // nothing flagged while positives exist
    assertEquals(0.0, s.recall(), 1e-12);
    assertEquals(0.0, s.f1(), 1e-12);
    assertEquals(0.0, s.ari(), 1e-12); // all singletons vs truth: index 0, expected 0
    assertEquals(4, s.falseNegatives());
  }

  @Test
  void allInOneCluster() {
    QualityMetrics.Scores s = QualityMetrics.score(truth, List.of(List.of("a", "b"), List.of("b", "c"), List.of("c", "d"),
        List.of("d", "e"), List.of("e", "f")));
    // predicted pairs (direct): 5, of which a-b, b-c, d-e are true
    assertEquals(3.0 / 5, s.precision(), 1e-12);
    assertEquals(3.0 / 4, s.recall(), 1e-12);
    assertEquals(2 * 0.6 * 0.75 / 1.35, s.f1(), 1e-12);
    assertEquals(0.0, s.ari(), 1e-12); // one cluster holding everything carries no information
  }

  @Test
  void knownAriValue() {
    // truth {a,b,c},{d,e},{f}; predicted {a,b},{c,d,e},{f}: contingency n_ij = 2,1,2,1 -> sum C(n_ij,2) = 1+0+1+0 = 2
    // rows C(3,2)+C(2,2)+0 = 4, cols C(2,2)+C(3,2)+0 = 4, total C(6,2) = 15; expected 16/15; max 4
    double expected = (2 - 16.0 / 15) / (4 - 16.0 / 15);
    QualityMetrics.Scores s = QualityMetrics.score(truth, List.of(List.of("a", "b"), List.of("c", "d"), List.of("d", "e")));
    assertEquals(expected, s.ari(), 1e-12);
  }

  @Test
  void reversedAndRepeatedPairsCountOnce() {
    QualityMetrics.Scores s = QualityMetrics.score(truth, List.of(List.of("a", "b"), List.of("b", "a"), List.of("a", "b")));
    assertEquals(1, s.truePositives());
    assertEquals(0, s.falsePositives());
    assertEquals(1.0, s.precision(), 1e-12);
    assertEquals(1.0 / 4, s.recall(), 1e-12);
  }

  @Test
  void pairsScoreAsFlaggedWhileClustersFollowChains() {
    // a-b and b-c put a, b, c in one component, but the pair a-c was never flagged: pair recall misses it,
    // the clusters are exactly the truth's.
    QualityMetrics.Scores s = QualityMetrics.score(truth, List.of(List.of("a", "b"), List.of("b", "c"), List.of("d", "e")));
    assertEquals(1.0, s.precision(), 1e-12);
    assertEquals(3.0 / 4, s.recall(), 1e-12);
    assertEquals(1.0, s.ari(), 1e-12);
  }

  @Test
  void corpusWithoutDuplicates() {
    Map<String, String> singletons = Map.of("a", "1", "b", "2", "c", "3");
    QualityMetrics.Scores none = QualityMetrics.score(singletons, List.of());
    assertEquals(1.0, none.precision(), 1e-12);
    assertEquals(1.0, none.recall(), 1e-12);
    assertEquals(1.0, none.ari(), 1e-12);
    QualityMetrics.Scores one = QualityMetrics.score(singletons, List.of(List.of("a", "b")));
    assertEquals(0.0, one.precision(), 1e-12);
    assertEquals(1, one.falsePositives());
    assertEquals(0.0, one.ari(), 1e-12); // truth has no pairs: expected index 0, max index 0.5, index 0
  }

  @Test
  void pairNamingAnUnknownFileIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> QualityMetrics.score(truth, List.of(List.of("a", "zz"))));
    assertTrue(e.getMessage().contains("zz"), e.getMessage());
  }

  @Test
  void pairWithAnEntryOfALabelledFileIsNotScoredButOneOfAnUnknownFileIsRejected() {
    QualityMetrics.Scores plain = QualityMetrics.score(truth, List.of(List.of("a", "b")));
    QualityMetrics.Scores withEntry = QualityMetrics.score(truth, List.of(List.of("a", "b"), List.of("a", "c!/attachment.pdf")));
    assertEquals(plain, withEntry, "the entry of labelled file c is not a labelled document");
    assertThrows(IllegalArgumentException.class, () -> QualityMetrics.score(truth, List.of(List.of("a", "zz!/x.txt"))));
  }
}
