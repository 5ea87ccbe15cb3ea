package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChunkedEmbedderTest {

  static ChunkedEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = ChunkedEmbedder.load(EmbedderConfig.defaults());
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  static String longText() {
    StringBuilder sb = new StringBuilder();
    String[] topics = {"inheritance", "dynamic programming", "vector space models", "Bayes' theorem", "PageRank"};
    for (int i = 0; i < 60; i++) {
      sb.append("Paragraph ").append(i).append(" is about ").append(topics[i % topics.length])
          .append(", which students explain in their own words — with ümlauts, numbers like ")
          .append(i * 37).append(" and a few emoji 😀 now and then. ");
      if (i % 7 == 0) sb.append("\n\n");
    }
    return sb.toString();
  }

  @Test
  void defaultsDescribeTheShippedModel() {
    assertEquals("bge-small-en-v1.5", embedder.modelName());
    assertEquals(384, embedder.dimension());
    assertEquals(512, embedder.maxTokens());
    assertEquals(12, embedder.bertConfig().heads());
    assertEquals(12, embedder.bertConfig().layers());
  }

  @Test
  void longDocumentIsEmbeddedWindowByWindow() {
    String text = longText();
    int tokens = embedder.countTokens(text);
    Windower w = embedder.windower();
    int expected = Windower.expectedWindows(tokens, w.content, w.stride);
    assertTrue(expected >= 3, "test text must need >= 3 windows, has " + tokens + " tokens");

    DocumentEmbedding d = embedder.embed(List.of(text)).get(0);
    List<Chunk> chunks = d.chunks();
    assertEquals(expected, chunks.size());
    assertEquals(1 + (int) Math.ceil((tokens - 510) / 446.0), chunks.size()); // 512 window, 64 overlap
    assertEquals(0, chunks.get(0).startChar());
    assertEquals(text.length(), chunks.get(chunks.size() - 1).endChar());
    int contentSum = 0;
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      assertEquals(i, c.index());
      assertTrue(c.startChar() < c.endChar());
      contentSum += c.tokens();
      if (i > 0) {
        Chunk p = chunks.get(i - 1);
        assertTrue(c.startChar() > p.startChar(), "chunks in order");
        assertTrue(c.startChar() < p.endChar(), "consecutive chunks overlap");
      }
    }
    assertEquals(tokens + (chunks.size() - 1) * 64, contentSum, "every token once, plus overlaps");

    List<Windower.Window> windows = embedder.windows(text);
    for (int i = 0; i < chunks.size(); i++) {
      float[] alone = embedder.embedWindows(List.of(windows.get(i).ids()))[0];
      double cos = OrtReference.cosine(alone, chunks.get(i).vector());
      assertTrue(cos > 0.9999, "chunk " + i + " cosine " + cos);
      assertEquals(1.0, norm(chunks.get(i).vector()), 1e-5);
    }
  }

  @Test
  void documentVectorIsNormalisedTokenWeightedMeanOfChunks() {
    String text = longText().substring(0, 5000);
    DocumentEmbedding d = embedder.embed(List.of(text)).get(0);
    assertTrue(d.chunks().size() >= 2);
    double[] acc = new double[embedder.dimension()];
    for (Chunk c : d.chunks()) {
      for (int j = 0; j < acc.length; j++) acc[j] += c.tokens() * (double) c.vector()[j];
    }
    float[] expected = ChunkedEmbedder.normalize(acc);
    assertArrayEquals(expected, d.vector(), 1e-6f);
    assertEquals(1.0, norm(d.vector()), 1e-5);
  }

  @Test
  void emptyAndBlankTextsGiveZeroVectorAndNoChunks() {
    List<DocumentEmbedding> out = embedder.embed(List.of("", "   \n\t ", "x", ""));
    assertEquals(4, out.size());
    for (int i : new int[] {0, 1, 3}) {
      assertEquals(0, out.get(i).chunks().size());
      assertEquals(embedder.dimension(), out.get(i).vector().length);
      assertEquals(0.0, norm(out.get(i).vector()));
    }
    assertEquals(1, out.get(2).chunks().size());
    assertEquals(1.0, norm(out.get(2).vector()), 1e-5);
  }

  @Test
  void batchOrderDoesNotChangeVectors() {
    List<String> texts = new ArrayList<>(TestTexts.golden());
    List<DocumentEmbedding> together = embedder.embed(texts);
    for (int i : new int[] {0, 7, 15, 19}) {
      DocumentEmbedding alone = embedder.embed(List.of(texts.get(i))).get(0);
      assertTrue(OrtReference.cosine(alone.vector(), together.get(i).vector()) > 0.99999);
    }
    // Similar sentences score higher than unrelated ones.
    double near = OrtReference.cosine(together.get(3).vector(), together.get(4).vector());
    double far = OrtReference.cosine(together.get(5).vector(), together.get(6).vector());
    assertTrue(near > far, near + " vs " + far);
    System.out.printf("weather pair %.4f, dog/storm pair %.4f%n", near, far);
  }

  @Test
  void charSpansAreUtf16Offsets() {
    String text = "😀😀 hello 😀 world";
    ChunkedEmbedder.Tokens t = embedder.tokenize(text);
    for (int i = 0; i < t.ids().length; i++) {
      String piece = text.substring(t.starts()[i], t.ends()[i]);
      assertTrue(!piece.isBlank(), "token " + i + " span '" + piece + "'");
    }
    int hello = text.indexOf("hello");
    boolean found = false;
    for (int i = 0; i < t.ids().length; i++) found |= t.starts()[i] == hello && t.ends()[i] == hello + 5;
    assertTrue(found, "hello at UTF-16 offset " + hello);
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    return Math.sqrt(s);
  }
}
