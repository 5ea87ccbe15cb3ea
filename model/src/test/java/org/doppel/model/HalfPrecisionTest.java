package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The GPU path's float16 maths, run on the CPU (libtorch 2.7 has float16 matmul, LayerNorm, softmax,
 * GELU and embedding on the CPU): float16 weights and activations, padding mask and ALiBi bias cast
 * to float16, pooling in float32, vectors returned as float32. Compared with the float32 path at a
 * looser tolerance than the golden tests: every window cosine > 0.999.
 */
class HalfPrecisionTest {

  static final double MIN_COSINE = 0.999;

  @Test
  void bgeSmallInFloat16MatchesFloat32() {
    // Short texts, accents, CJK, emoji, and 100..250-token paragraphs (float16 GEMM is slow on a CPU).
    List<String> texts = new ArrayList<>(TestTexts.golden().subList(3, 10));
    texts.addAll(TestTexts.golden().subList(15, 17));
    EmbedderConfig cfg = EmbedderConfig.defaults().withThreads(2).withBatchSize(8);
    try (ChunkedEmbedder f32 = ChunkedEmbedder.load(cfg, Device.cpu(), DataType.FLOAT32);
        ChunkedEmbedder f16 = ChunkedEmbedder.load(cfg, Device.cpu(), DataType.FLOAT16)) {
      assertEquals("float32", f32.runtime().dtype());
      assertEquals("float16", f16.runtime().dtype());
      assertEquals("cpu", f16.runtime().device());
      List<long[]> windows = new ArrayList<>();
      for (String t : texts) for (Windower.Window w : f32.windows(t)) windows.add(w.ids());
      // All windows in one call: batches of mixed lengths, so the float16 padding mask is used.
      float[][] a = f32.embedWindows(windows);
      float[][] b = f16.embedWindows(windows);
      double minCos = 1;
      double maxDiff = 0;
      for (int i = 0; i < windows.size(); i++) {
        assertEquals(384, b[i].length);
        minCos = Math.min(minCos, OrtReference.cosine(a[i], b[i]));
        maxDiff = Math.max(maxDiff, OrtReference.maxAbsDiff(a[i], b[i]));
      }
      System.out.printf("bge-small float16 vs float32 on CPU: %d windows, min cosine %.6f, max |diff| %.3g%n",
          windows.size(), minCos, maxDiff);
      assertTrue(minCos > MIN_COSINE, "min window cosine " + minCos);
      assertTrue(maxDiff > 1e-6, "float16 really ran (vectors differ from float32 by " + maxDiff + ")");

      List<DocumentEmbedding> da = f32.embed(texts.subList(6, 9));
      List<DocumentEmbedding> db = f16.embed(texts.subList(6, 9));
      for (int i = 0; i < da.size(); i++) {
        assertTrue(OrtReference.cosine(da.get(i).vector(), db.get(i).vector()) > MIN_COSINE, "document " + i);
        assertEquals(1.0, OrtReference.cosine(db.get(i).vector(), db.get(i).vector()), 1e-6);
      }
    }
  }

  @Test
  void jinaBertInFloat16MatchesTheReferenceInQueryBlocks() throws Exception {
    // ALiBi (bias built in float32, cast) and GEGLU; the 700-token window in 40-row query blocks.
    List<HfFolderTest.Seq> ref = HfFolderTest.reference("jinabert");
    EmbedderConfig cfg = EmbedderConfig.defaults().withModel(HfFolderTest.tinyModel("jinabert").toString());
    try (ChunkedEmbedder f16 = ChunkedEmbedder.load(cfg, Device.cpu(), DataType.FLOAT16)) {
      f16.encoderForTests().scoreBlockOverride = 4L * 700 * 40;
      List<long[]> windows = ref.stream().map(HfFolderTest.Seq::ids).toList();
      float[][] v = f16.embedWindows(windows);
      double minCos = 1;
      for (int i = 0; i < windows.size(); i++) {
        minCos = Math.min(minCos, OrtReference.cosine(v[i], ref.get(i).mean()));
        float[][] h = f16.hiddenState(windows.get(i));
        int dim = h[0].length;
        for (int t = 0; t < h.length; t++) {
          float[] want = new float[dim];
          System.arraycopy(ref.get(i).hidden(), t * dim, want, 0, dim);
          minCos = Math.min(minCos, OrtReference.cosine(h[t], want));
        }
      }
      System.out.printf("jinabert float16 vs float64 reference: min cosine %.6f (tokens and pooled)%n", minCos);
      assertTrue(minCos > MIN_COSINE, "min cosine " + minCos);
    }
  }
}
