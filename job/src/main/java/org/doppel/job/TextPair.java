package org.doppel.job;

import java.io.Serializable;

/** A candidate pair of distinct texts (by text hash) with its document-vector cosine and best passage. */
public record TextPair(String textA, String textB, double score, Passage passage) implements Serializable {
  public TextPair withPassage(Passage p) {
    return new TextPair(textA, textB, score, p);
  }
}
