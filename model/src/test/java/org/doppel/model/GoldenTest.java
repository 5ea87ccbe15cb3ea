package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java BERT against OnnxRuntime on the same ONNX file. */
class GoldenTest {

  @Test
  void bgeMatchesOnnxRuntime() throws Exception {
    check(EmbedderConfig.defaults(), "bge-small-en-v1.5.onnx", TestTexts.golden());
  }

  @Test
  void miniLmMatchesOnnxRuntime() throws Exception {
    List<String> all = TestTexts.golden();
    List<String> few = List.of(all.get(0), all.get(3), all.get(7), all.get(9), all.get(15), all.get(16));
    check(EmbedderConfig.defaults().withModel(EmbedderConfig.MINILM_MODEL), "all-minilm-l6-v2.onnx", few);
  }

  private static void check(EmbedderConfig cfg, String onnxResource, List<String> texts) throws Exception {
    try (ChunkedEmbedder e = ChunkedEmbedder.load(cfg);
        OrtReference ort = new OrtReference(onnxResource, 0)) {
      List<long[]> windows = new ArrayList<>();
      double maxHidden = 0;
      double minCosHidden = 1;
      for (String text : texts) {
        List<Windower.Window> ws = e.windows(text);
        assertEquals(1, ws.size(), "golden text must fit one window: " + text.length() + " chars");
        long[] ids = ws.get(0).ids();
        windows.add(ids);
        float[][] java = e.hiddenState(ids);
        float[][] ref = ort.hidden(ids);
        assertEquals(ref.length, java.length);
        double textMax = 0;
        for (int t = 0; t < ref.length; t++) {
          textMax = Math.max(textMax, OrtReference.maxAbsDiff(java[t], ref[t]));
          minCosHidden = Math.min(minCosHidden, OrtReference.cosine(java[t], ref[t]));
        }
        maxHidden = Math.max(maxHidden, textMax);
        assertTrue(textMax < 1e-4, "hidden max |diff| " + textMax + " for " + ids.length + " tokens");
      }
      // Pooled vectors through the batched (sorted, padded) path, both poolings.
      double maxPooled = 0;
      double minCos = 1;
      for (Pooling p : Pooling.values()) {
        try (ChunkedEmbedder ep = p == e.pooling() ? null : ChunkedEmbedder.load(cfg.withPooling(p).withBatchSize(7))) {
          ChunkedEmbedder use = ep == null ? e : ep;
          float[][] java = use.embedWindows(windows);
          float[][] ref = ort.embedWindows(windows, 1, p);
          for (int i = 0; i < windows.size(); i++) {
            double d = OrtReference.maxAbsDiff(java[i], ref[i]);
            double c = OrtReference.cosine(java[i], ref[i]);
            maxPooled = Math.max(maxPooled, d);
            minCos = Math.min(minCos, c);
            assertTrue(d < 1e-4, p + " pooled max |diff| " + d + " text " + i);
            assertTrue(c > 0.9999, p + " pooled cosine " + c + " text " + i);
          }
        }
      }
      int maxLen = windows.stream().mapToInt(w -> w.length).max().orElse(0);
      int minLen = windows.stream().mapToInt(w -> w.length).min().orElse(0);
      System.out.printf(
          "GOLDEN %s: %d texts (%d..%d tokens): hidden max|diff| %.3g (min token cosine %.8f);"
              + " pooled max|diff| %.3g, min cosine %.8f%n",
          e.modelName(), texts.size(), minLen, maxLen, maxHidden, minCosHidden, maxPooled, minCos);
    }
  }
}
