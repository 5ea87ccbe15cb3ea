package org.doppel.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Throughput of Doppel's embedder against OnnxRuntime on the same model, the same windows and the
 * same batches (sorted by length, padded per batch), the same number of threads.
 *
 * <p>Usage: EmbedBench [threads=2] [batch=16] [repeats=2] [window=0]
 */
public final class EmbedBench {
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int window = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    String only = System.getProperty("bench.only", "");
    List<String> texts = Corpora.benchTexts();
    EmbedderConfig cfg = EmbedderConfig.defaults().withThreads(threads).withBatchSize(batch).withWindow(window, 64)
        .withDevice(ComputeDevice.CPU);
    try (ChunkedEmbedder e = ChunkedEmbedder.load(cfg);
        OrtReference ort = new OrtReference("bge-small-en-v1.5.onnx", threads)) {
      List<long[]> windows = new ArrayList<>();
      long tokens = 0;
      for (String t : texts) {
        for (Windower.Window w : e.windows(t)) {
          windows.add(w.ids());
          tokens += w.ids().length;
        }
      }
      System.out.printf("bench: %d docs, %d windows, %d tokens (incl. [CLS]/[SEP]), window %d, batch %d, threads %d, pooling %s%n",
          texts.size(), windows.size(), tokens, e.maxTokens(), batch, threads, e.pooling());
      List<String> warm = texts.subList(0, Math.min(16, texts.size()));
      e.embed(warm);
      List<long[]> warmW = windows.subList(0, Math.min(16, windows.size()));
      if (!only.equals("djl")) ort.embedWindows(warmW, batch, e.pooling());
      double bestD = Double.MAX_VALUE, bestO = Double.MAX_VALUE;
      float[][] d = null, o = null;
      for (int r = 0; r < repeats; r++) {
        if (!only.equals("ort")) {
          long t0 = System.nanoTime();
          List<DocumentEmbedding> out = e.embed(texts); // tokenise + window + encode + pool
          double s = (System.nanoTime() - t0) / 1e9;
          bestD = Math.min(bestD, s);
          d = new float[out.size()][];
          for (int i = 0; i < d.length; i++) d[i] = out.get(i).vector();
          System.out.printf("  doppel (DJL/PyTorch) run %d: %.2f s%n", r, s);
        }
        if (!only.equals("djl")) {
          long t0 = System.nanoTime();
          List<long[]> ws = new ArrayList<>();
          for (String t : texts) for (Windower.Window w : e.windows(t)) ws.add(w.ids());
          ort.embedWindows(ws, batch, e.pooling());
          double s = (System.nanoTime() - t0) / 1e9;
          bestO = Math.min(bestO, s);
          System.out.printf("  onnxruntime          run %d: %.2f s%n", r, s);
        }
      }
      int n = texts.size();
      if (bestD < Double.MAX_VALUE) System.out.printf("doppel:      %.2f docs/s, %.0f tokens/s (best of %d)%n", n / bestD, tokens / bestD, repeats);
      if (bestO < Double.MAX_VALUE) System.out.printf("onnxruntime: %.2f docs/s, %.0f tokens/s (best of %d)%n", n / bestO, tokens / bestO, repeats);
      if (bestD < Double.MAX_VALUE && bestO < Double.MAX_VALUE) System.out.printf("ratio doppel/onnxruntime: %.2fx%n", bestO / bestD);
    }
  }
}
