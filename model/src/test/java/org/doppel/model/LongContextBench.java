package org.doppel.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Long-context forward passes: peak RSS and tokens/s of one window at 512, 2048 and 8192 tokens
 * through a JinaBERT-architecture encoder (ALiBi, GEGLU) with bge-small-sized random weights
 * (hidden 384, 12 layers, 12 heads, intermediate 1536, vocab 30528) built in memory.
 *
 * <p>Usage: LongContextBench [threads=2] [lengths=512,2048,8192] [repeats=2]. VmHWM is the
 * process peak so far: lengths run in increasing order, so each line's peak is that length's.
 */
public final class LongContextBench {
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    String[] lens = (args.length > 1 ? args[1] : "512,2048,8192").split(",");
    int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    ChunkedEmbedder.defaultOfflineProperties();
    Engine engine = Engine.getEngine("PyTorch");
    JniUtils.setNumThreads(threads);
    JniUtils.setGradMode(false);
    int hidden = 384, layers = 12, heads = 12, inter = 1536, vocab = 30528;
    SplittableRandom rnd = new SplittableRandom(42);
    Map<String, OnnxWeights.Tensor> t = new HashMap<>();
    t.put("embeddings.word_embeddings.weight", rand(rnd, 0.5f, 0, vocab, hidden));
    t.put("embeddings.token_type_embeddings.weight", rand(rnd, 0.1f, 0, 2, hidden));
    t.put("embeddings.LayerNorm.weight", rand(rnd, 0.05f, 1, hidden));
    t.put("embeddings.LayerNorm.bias", rand(rnd, 0.05f, 0, hidden));
    for (int i = 0; i < layers; i++) {
      String p = "encoder.layer." + i + ".";
      for (String n : new String[] {"query", "key", "value"}) {
        t.put(p + "attention.self." + n + ".weight", rand(rnd, 0.05f, 0, hidden, hidden));
        t.put(p + "attention.self." + n + ".bias", rand(rnd, 0.02f, 0, hidden));
      }
      t.put(p + "attention.output.dense.weight", rand(rnd, 0.05f, 0, hidden, hidden));
      t.put(p + "attention.output.dense.bias", rand(rnd, 0.02f, 0, hidden));
      t.put(p + "attention.output.LayerNorm.weight", rand(rnd, 0.05f, 1, hidden));
      t.put(p + "attention.output.LayerNorm.bias", rand(rnd, 0.05f, 0, hidden));
      t.put(p + "mlp.gated_layers.weight", rand(rnd, 0.05f, 0, 2 * inter, hidden));
      t.put(p + "mlp.wo.weight", rand(rnd, 0.03f, 0, hidden, inter));
      t.put(p + "mlp.wo.bias", rand(rnd, 0.02f, 0, hidden));
      t.put(p + "mlp.layernorm.weight", rand(rnd, 0.05f, 1, hidden));
      t.put(p + "mlp.layernorm.bias", rand(rnd, 0.05f, 0, hidden));
    }
    boolean bert = System.getProperty("bench.arch", "jinabert").equals("bert");
    if (bert) { // for comparison: the same sizes as plain BERT (absolute positions, GELU feed-forward)
      t.put("embeddings.position_embeddings.weight", rand(rnd, 0.1f, 0, 8192, hidden));
      for (int i = 0; i < layers; i++) {
        String p = "encoder.layer." + i + ".";
        t.put(p + "intermediate.dense.weight", rand(rnd, 0.05f, 0, inter, hidden));
        t.put(p + "intermediate.dense.bias", rand(rnd, 0.02f, 0, inter));
        t.put(p + "output.dense.weight", t.remove(p + "mlp.wo.weight"));
        t.put(p + "output.dense.bias", t.remove(p + "mlp.wo.bias"));
        t.put(p + "output.LayerNorm.weight", t.remove(p + "mlp.layernorm.weight"));
        t.put(p + "output.LayerNorm.bias", t.remove(p + "mlp.layernorm.bias"));
      }
    }
    BertEncoder.Spec spec = new BertEncoder.Spec("in-memory " + (bert ? "bert" : "jinabert"), t, null, false,
        heads, 1e-12f, !bert, !bert, 0, hidden, layers, inter, 8192);
    System.out.printf("long-context bench: %s hidden %d, %d layers, %d heads, GEGLU %d, threads %d,"
        + " score blocks <= %d floats; RSS after weights %d MB%n",
        bert ? "bert" : "jinabert", hidden, layers, heads, inter, threads, BertEncoder.scoreBlockFloats, kb("VmRSS") / 1024);
    try (NDManager manager = engine.newBaseManager(Device.cpu())) {
      BertEncoder enc = new BertEncoder(spec, manager);
      t.clear();
      System.gc();
      for (String ls : lens) {
        int len = Integer.parseInt(ls.trim());
        long[] ids = new long[len];
        for (int i = 0; i < len; i++) ids[i] = 5 + rnd.nextInt(vocab - 5);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
          long t0 = System.nanoTime();
          try (NDManager m = manager.newSubManager()) {
            PtNDArray h = enc.forward(m, ids, 1, len, new int[] {len});
            float[] f = h.get(0, 0).toFloatArray();
            if (!Float.isFinite(f[0])) throw new IllegalStateException("not finite");
          }
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        int qb = BertEncoder.queryBlock(heads, len);
        boolean blocked = (long) heads * len * len > BertEncoder.scoreBlockFloats;
        System.out.printf("len %5d: %.2f s/window (best of %d), %.0f tokens/s, peak RSS (VmHWM) %d MB,"
            + " %s attention %s%n", len, best, repeats, len / best, kb("VmHWM") / 1024, enc.attention(),
            enc.fused && bert ? "whole (no score matrix)" : blocked ? "in query blocks of " + qb + " rows (" + (long) heads * qb * len * 4 / 1024 + " KB of scores)"
                : "whole (" + (long) heads * len * len * 4 / 1024 + " KB of scores)");
      }
    }
  }

  static OnnxWeights.Tensor rand(SplittableRandom r, float scale, float base, long... dims) {
    long n = 1;
    for (long d : dims) n *= d;
    ByteBuffer b = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) b.putFloat(base + scale * (float) (r.nextDouble() * 2 - 1) * 1.7320508f);
    b.flip();
    return new OnnxWeights.Tensor(dims, b);
  }

  static long kb(String field) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith(field + ":")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }
}
