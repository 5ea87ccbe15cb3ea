package org.doppel.job.decide;

import java.io.Serializable;

/** A decided pair of distinct texts (by text hash): its evidence and the decision's score. */
public record TextPair(String textA, String textB, PairEvidence evidence, double score) implements Serializable {
  /** The pair with its passages' texts cut from the two texts. */
  public TextPair withPassages(String a, String b) {
    PairEvidence e = evidence;
    if (e.alignment() == null) return this;
    return new TextPair(textA, textB, new PairEvidence(e.cosine(), e.alignment().cut(a, b), e.resemblance(),
        e.containmentA(), e.containmentB(), e.termsA(), e.termsB()), score);
  }
}
