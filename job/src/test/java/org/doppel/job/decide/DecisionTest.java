package org.doppel.job.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.doppel.extractors.LexicalSketch;
import org.doppel.job.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped decision parameters load, and the decision behaves as documented. */
class DecisionTest {
  final Decision d = RunConfig.DEFAULT_DECISION;

  static PairEvidence evidence(double cosine, double containment, double resemblance, int words) {
    Alignment al = new Alignment(List.of(new Passage(0, 1, "a", 0, 1, "b", cosine)), containment, containment);
    return new PairEvidence(cosine, al, resemblance, containment, containment, words, words);
  }

  @Test
  void shippedParametersAreThoseOfTheDefaultModel() {
    assertNotNull(d, "decision/bge-small-en-v1.5.json is on the classpath");
    assertEquals("bge-small-en-v1.5", d.model());
    assertTrue(d.version() >= 1, "fitted parameters, not the placeholder");
    assertTrue(d.defaultThreshold() > 0 && d.defaultThreshold() < 1);
    assertEquals(d, Decision.shippedFor(null));
    assertEquals(null, Decision.shippedFor("/models/some-unknown-model"));
  }

  @Test
  void moreEvidenceNeverLowersTheScore() {
    for (int words : new int[] {100, 300, 600, 3000}) {
      double previous = -1;
      for (double x = 0; x <= 1.0001; x += 0.1) {
        double s = d.score(evidence(0.7 + 0.3 * x, x, x * 0.8, words));
        assertTrue(s >= previous - 1e-12, "score rises with cosine, containment and resemblance at " + words + " words");
        previous = s;
      }
      assertTrue(d.score(evidence(1.0, 1.0, 1.0, words)) > 0.99, "an edited copy is decided at " + words + " words");
      assertTrue(d.score(evidence(0.75, 0.02, 0.01, words)) < 0.05, "same-topic documents are not at " + words + " words");
    }
  }

  @Test
  void longTextsNeedMoreSharedWordingThanShortOnes() {
    // a tenth of the 3-word phrases shared and a close document vector: a reworded copy of a short answer,
    // but chance between two long manuals of the same family
    PairEvidence shortPair = evidence(0.93, 0.15, 0.08, 200), longPair = evidence(0.93, 0.15, 0.08, 4000);
    assertTrue(d.score(shortPair) > d.score(longPair), d.score(shortPair) + " vs " + d.score(longPair));
    assertEquals(0, d.lambda(d.shortWords()));
    assertEquals(1, d.lambda(d.longWords()));
    assertEquals(0.5, d.lambda((int) Math.round(Math.sqrt(d.shortWords() * (double) d.longWords()))), 0.01);
  }

  @Test
  void nearEmptyTextsNeverPairAndShortOnesNeedWording() {
    assertEquals(0, d.score(evidence(1.0, 1.0, 1.0, d.minTerms() - 1)), "near-empty texts never pair");
    assertEquals(0, d.score(evidence(0.99, 0.3, 0.2, d.shortTerms() - 1)), "a short text needs lexical resemblance");
    assertTrue(d.score(evidence(0.99, 0.9, 0.9, d.shortTerms() - 1)) > d.defaultThreshold(), "unless its wording matches");
  }

  @Test
  void methodNamesTheEvidenceThatCarriedThePair() {
    assertEquals(PairRow.LEXICAL, d.method(evidence(0.5, 0.95, 0.9, 300)));
    assertEquals(PairRow.SEMANTIC, d.method(evidence(0.995, 0.0, 0.0, 300)));
    assertEquals(PairRow.BOTH, d.method(evidence(0.995, 0.95, 0.9, 300)));
  }

  @Test
  void aParameterFileWithAnUnknownFeatureIsRefused(@TempDir Path tmp) throws IOException {
    Path f = tmp.resolve("bad.json");
    Files.writeString(f, "{\"version\":1,\"model\":\"x\",\"shortWords\":250,\"longWords\":1000,"
        + "\"shortWeights\":{\"colour\":1.0},\"longWeights\":{},\"bias\":0}");
    IOException e = assertThrows(IOException.class, () -> Decision.read(f));
    assertTrue(e.getMessage().contains("colour"), e.getMessage());
  }

  @Test
  void evidenceIsJudgedAgainstTheCorpusBackgroundOnlyWhereItIsAboveTheFittedOne() {
    Background fitted = d.background();
    assertTrue(fitted.cosine() > 0 && fitted.cosine() < 1 && fitted.containment() >= 0 && fitted.containment() < 0.5,
        "the shipped decision says what it was fitted at: " + fitted);
    PairEvidence e = evidence(0.97, 0.05, 0.03, 400);
    Decision ordinary = d.withCorpus(new Background(fitted.cosine() - 0.05, fitted.containment(), 256));
    assertEquals(d.score(e), ordinary.score(e), 1e-12, "a corpus no denser than the fit's: evidence as it is");
    assertEquals(d.candidateCosine(), ordinary.searchCosine(), 1e-12);
    assertFalse(ordinary.calibratingCosine() || ordinary.calibratingLexical());

    Decision blind = d.withCorpus(new Background(0.96, fitted.containment(), 256)); // the model scores all ~0.96
    assertTrue(blind.calibratingCosine() && !blind.calibratingLexical());
    assertEquals(fitted.cosine(), blind.calibrated(0.96), 1e-12, "this corpus's background maps onto the fit's");
    assertEquals(1.0, blind.calibrated(1.0), 1e-12, "identical vectors stay identical");
    for (double c : new double[] {0.5, 0.9, 0.97, 0.999}) assertEquals(c, blind.raw(blind.calibrated(c)), 1e-12);
    assertTrue(blind.searchCosine() > 0.96 && blind.rawPassageMatch() > 0.96, "candidate and match floors rise with it");
    assertTrue(blind.score(e) < d.score(e) && blind.score(e) < 0.05,
        "a cosine any two documents of the corpus reach is no evidence: " + blind.score(e));
    PairEvidence copied = evidence(0.97, 0.8, 0.7, 400);
    assertTrue(blind.score(copied) > 0.9, "shared wording still carries the pair: " + blind.score(copied));
    assertEquals(PairRow.LEXICAL, blind.method(copied));
    assertTrue(blind.reason(copied, blind.score(copied), 0.5).contains("rests on lexical evidence"));
    assertTrue(!blind.guardAdmits(0.97, 0.0) && d.guardAdmits(0.97, 0.0), "the hub guard judges the same scale");

    Decision chance = d.withCorpus(new Background(fitted.cosine(), 0.15, 256)); // shingles recur by chance
    assertTrue(chance.calibratingLexical() && !chance.calibratingCosine());
    assertEquals(fitted.containment(), chance.lexical(0.15), 1e-12);
    assertEquals(0, chance.lexical(0.01), 1e-12, "below the chance level: nothing");
    PairEvidence overlap = evidence(0.85, 0.15, 0.07, 300);
    assertTrue(chance.score(overlap) < d.score(overlap), chance.score(overlap) + " vs " + d.score(overlap));
    assertTrue(chance.reason(overlap, 0.5, 0.5).contains("share up to 0.15 of their shingles by chance"));
  }

  @Test
  void backgroundIsWhatPairsScoreWhereTheOtherMeasureCallsThemUnrelated() {
    float[] x = {1, 0, 0}, y = {0, 1, 0}, z = {0.6f, 0.8f, 0};
    LexicalSketch a = LexicalSketch.of("one two three four five six seven"), b = LexicalSketch.of("eight nine ten eleven");
    Background small = Background.of(List.of(x, y, z), List.of(a, a, b));
    assertTrue(Double.isNaN(small.cosine()) && Double.isNaN(small.containment()), "three texts say nothing of a corpus");
    assertEquals(3, small.sampled());
    assertEquals(d, small.applyTo(d), "nothing measured: the decision as shipped");

    // a folder dense with copies: five copies of one text beside fifteen unrelated ones
    java.util.Random rnd = new java.util.Random(3);
    List<float[]> vectors = new java.util.ArrayList<>();
    List<LexicalSketch> sketches = new java.util.ArrayList<>();
    String copied = words(rnd, 200);
    for (int i = 0; i < 20; i++) {
      float[] v = new float[64];
      v[i < 5 ? 0 : i] = 1;
      vectors.add(v);
      sketches.add(LexicalSketch.of(i < 5 ? copied : words(rnd, 200)));
    }
    Background dense = Background.of(vectors, sketches);
    assertEquals(0, dense.cosine(), 1e-6, "unrelated texts are orthogonal here; the copies are left out");
    assertTrue(dense.containment() < 0.05, "chance overlap, not the copies': " + dense.containment());
  }

  static String words(java.util.Random rnd, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append("w").append(rnd.nextInt(5000)).append(' ');
    return sb.toString();
  }
}
