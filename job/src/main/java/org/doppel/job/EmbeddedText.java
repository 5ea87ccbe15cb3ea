package org.doppel.job;

import java.io.Serializable;
import java.util.List;
import org.doppel.extractors.LexicalSketch;
import org.doppel.model.Chunk;

/** One distinct text with its window (chunk) vectors, the document vector built from them, and its lexical sketch. */
public record EmbeddedText(String textSha256, String text, float[] vector, List<Chunk> chunks, LexicalSketch sketch)
    implements Serializable {
  public int tokens() {
    int t = 0;
    for (Chunk c : chunks) t += c.tokens();
    return t;
  }
}
