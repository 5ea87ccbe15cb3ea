package org.doppel.job.data;

import java.io.Serializable;

/** What the driver keeps of an embedded text: its document vector and how many windows and tokens it had. */
public record TextVector(String textSha256, float[] vector, int chunks, int tokens) implements Serializable {
  public static TextVector of(EmbeddedText t) {
    return new TextVector(t.textSha256(), t.vector(), t.chunks().size(), t.tokens());
  }
}
