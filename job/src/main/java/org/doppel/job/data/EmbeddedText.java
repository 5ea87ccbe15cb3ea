package org.doppel.job.data;

import java.io.Serializable;
import java.util.List;
import org.doppel.extractors.LexicalSketch;
import org.doppel.model.Chunk;

/**
 * One distinct text with its window (chunk) vectors, the document vector built from them, and its lexical sketch.
 * {@code text} is null in the copies the decision works on ({@link #withoutText}): candidates need the windows'
 * vectors and offsets and the text's length ({@code chars}), not its characters.
 */
public record EmbeddedText(String textSha256, String text, int chars, float[] vector, List<Chunk> chunks,
                           LexicalSketch sketch) implements Serializable {

  public EmbeddedText(String textSha256, String text, float[] vector, List<Chunk> chunks, LexicalSketch sketch) {
    this(textSha256, text, text.length(), vector, chunks, sketch);
  }

  public int tokens() {
    int t = 0;
    for (Chunk c : chunks) t += c.tokens();
    return t;
  }

  /** The same text without its characters (what travels with every candidate pair). */
  public EmbeddedText withoutText() {
    return new EmbeddedText(textSha256, null, chars, vector, chunks, sketch);
  }
}
