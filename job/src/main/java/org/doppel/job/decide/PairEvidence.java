package org.doppel.job.decide;

import java.io.Serializable;
import org.doppel.extractors.LexicalSketch;
import org.doppel.job.data.EmbeddedText;

/**
 * Everything Doppel knows about a candidate pair of texts: the decision's inputs, each shown in the pairs
 * report. {@code cosine} is the document vectors' cosine; {@code alignment} the best window pairs and the
 * coverage of each side; {@code resemblance} the estimated Jaccard of the word-shingle sets and
 * {@code containmentA}/{@code containmentB} the estimated fraction of each side's shingles found in the
 * other; {@code termsA}/{@code termsB} the texts' lengths in words.
 */
public record PairEvidence(double cosine, Alignment alignment, double resemblance, double containmentA,
                           double containmentB, int termsA, int termsB) implements Serializable {

  static PairEvidence of(EmbeddedText a, EmbeddedText b, double passageMatch) {
    LexicalSketch sa = a.sketch(), sb = b.sketch();
    double j = sa.resemblance(sb);
    return new PairEvidence(Math.min(1.0, PassageAligner.dot(a.vector(), b.vector())), Alignment.of(a, b, passageMatch), j,
        LexicalSketch.containment(j, sa.shingles(), sb.shingles()),
        LexicalSketch.containment(j, sb.shingles(), sa.shingles()), sa.terms(), sb.terms());
  }

  /** Two copies of one text. */
  static PairEvidence identical(EmbeddedText t) {
    return new PairEvidence(1.0, Alignment.identical(t), 1.0, 1.0, 1.0, t.sketch().terms(), t.sketch().terms());
  }

  /** Two vectors without texts: the cosine is all there is (the lexical measures are unknown, NaN). */
  public static PairEvidence cosineOnly(double cosine) {
    return new PairEvidence(cosine, null, Double.NaN, Double.NaN, Double.NaN, 0, 0);
  }

  public PairEvidence swapped() {
    return new PairEvidence(cosine, alignment == null ? null : alignment.swapped(), resemblance, containmentB,
        containmentA, termsB, termsA);
  }

  public double bestPassage() {
    return alignment == null || alignment.best() == null ? 0 : alignment.best().score();
  }

  public double coverageA() {
    return alignment == null ? 0 : alignment.coverageA();
  }

  public double coverageB() {
    return alignment == null ? 0 : alignment.coverageB();
  }
}
