package org.doppel.job.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.doppel.job.data.EmbeddedText;
import org.doppel.model.Chunk;
import org.junit.jupiter.api.Test;

/** Window alignment on hand-made window vectors: containment shows in the coverages, passages are distinct. */
class AlignmentTest {
  static float[] unit(int axis) {
    float[] v = new float[8];
    v[axis] = 1f;
    return v;
  }

  /** Text of {@code n} windows of 10 chars each (no overlap), window k has vector unit(axes[k]). */
  static EmbeddedText text(String id, int... axes) {
    StringBuilder sb = new StringBuilder();
    List<Chunk> chunks = new ArrayList<>();
    for (int k = 0; k < axes.length; k++) {
      chunks.add(new Chunk(k, sb.length(), sb.length() + 10, 3, unit(axes[k])));
      sb.append(String.format("%-10s", id + k));
    }
    return new EmbeddedText(id, sb.toString(), unit(0), chunks, org.doppel.extractors.LexicalSketch.of(sb.toString()));
  }

  @Test
  void containedTextIsFullyCoveredAndTheContainerOnlyPartly() {
    EmbeddedText part = text("a", 1, 2);           // 2 windows
    EmbeddedText whole = text("b", 1, 2, 3, 4);    // the same 2 windows + 2 others
    Alignment al = Alignment.of(part, whole, 0.9);
    assertEquals(1.0, al.coverageA(), 1e-12);
    assertEquals(0.5, al.coverageB(), 1e-12);
    assertEquals(2, al.top().size());
    assertEquals(1.0, al.top().get(0).score(), 1e-6);
    assertEquals("a0", al.best().aText().strip());
    assertEquals("b0", al.best().bText().strip());
    assertEquals(0.0, al.top().get(1).score() - 1.0, 1e-6);
    Alignment back = al.swapped();
    assertEquals(0.5, back.coverageA(), 1e-12);
    assertEquals("b0", back.best().aText().strip());
  }

  @Test
  void atMostThreeDistinctWindowPairsBestFirst() {
    EmbeddedText a = text("a", 1, 2, 3, 4, 5);
    EmbeddedText b = text("b", 5, 4, 3, 2, 1);
    Alignment al = Alignment.of(a, b, 0.9);
    assertEquals(Alignment.TOP, al.top().size());
    assertTrue(al.top().stream().map(Passage::aStart).distinct().count() == 3);
    assertTrue(al.top().stream().map(Passage::bStart).distinct().count() == 3);
    assertTrue(al.topJson().startsWith("[{\"a_start\":"), al.topJson());
    assertEquals(1.0, al.coverageA(), 1e-12);
    Alignment none = Alignment.of(text("c", 6), text("d", 7), 0.9);
    assertEquals(0.0, none.coverageA(), 1e-12);
    assertEquals(0.0, none.best().score(), 1e-12);
  }
}
