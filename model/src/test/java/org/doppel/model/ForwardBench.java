package org.doppel.model;

import java.util.ArrayList;
import java.util.List;

/** Encoder-only timing on fixed windows: ForwardBench [windows=32] [len=512] [batch=16] [reps=2] [ort=1]. */
public final class ForwardBench {
  public static void main(String[] a) throws Exception {
    int n = a.length > 0 ? Integer.parseInt(a[0]) : 32;
    int len = a.length > 1 ? Integer.parseInt(a[1]) : 512;
    int batch = a.length > 2 ? Integer.parseInt(a[2]) : 16;
    int reps = a.length > 3 ? Integer.parseInt(a[3]) : 2;
    boolean withOrt = a.length <= 4 || a[4].equals("1");
    try (ChunkedEmbedder e = ChunkedEmbedder.load(EmbedderConfig.defaults().withThreads(2).withBatchSize(batch))) {
      List<long[]> ws = new ArrayList<>();
      String text = TestTexts.PARAGRAPH.repeat(60);
      long[] ids = e.tokenize(text).ids();
      for (int i = 0; i < n; i++) {
        long[] w = new long[len];
        w[0] = 101;
        for (int t = 1; t < len - 1; t++) w[t] = ids[(i * 7 + t) % ids.length];
        w[len - 1] = 102;
        ws.add(w);
      }
      e.embedWindows(ws.subList(0, Math.min(batch, n)));
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        e.embedWindows(ws);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("djl: %.2f s, %.0f tokens/s%n", s, n * (double) len / s);
      }
      if (withOrt) {
        try (OrtReference ort = new OrtReference("bge-small-en-v1.5.onnx", 2)) {
          ort.embedWindows(ws.subList(0, Math.min(batch, n)), batch, Pooling.CLS);
          for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            ort.embedWindows(ws, batch, Pooling.CLS);
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ort: %.2f s, %.0f tokens/s%n", s, n * (double) len / s);
          }
        }
      }
    }
  }
}
