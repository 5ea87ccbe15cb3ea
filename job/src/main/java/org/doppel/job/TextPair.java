package org.doppel.job;

import java.io.Serializable;

/** A candidate pair of distinct texts (by text hash) with its document-vector cosine and window alignment. */
public record TextPair(String textA, String textB, double score, Alignment alignment) implements Serializable {
  public TextPair withAlignment(Alignment a) {
    return new TextPair(textA, textB, score, a);
  }
}
