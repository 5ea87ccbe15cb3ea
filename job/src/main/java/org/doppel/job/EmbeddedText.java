package org.doppel.job;

import java.io.Serializable;
import java.util.List;
import org.doppel.model.Chunk;

/** One distinct text with its window (chunk) vectors and the document vector built from them. */
public record EmbeddedText(String textSha256, String text, float[] vector, List<Chunk> chunks) implements Serializable {
  public int tokens() {
    int t = 0;
    for (Chunk c : chunks) t += c.tokens();
    return t;
  }
}
