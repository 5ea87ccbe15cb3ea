package org.doppel.job.decide;

import java.io.Serializable;

/** A matching passage pair: character spans into each document's text, the text itself, and their cosine. */
public record Passage(int aStart, int aEnd, String aText, int bStart, int bEnd, String bText, double score)
    implements Serializable {

  public Passage swapped() {
    return new Passage(bStart, bEnd, bText, aStart, aEnd, aText, score);
  }
}
