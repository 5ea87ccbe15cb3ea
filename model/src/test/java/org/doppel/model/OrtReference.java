package org.doppel.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** OnnxRuntime on the same .onnx file: the reference the Java BERT is checked against. */
final class OrtReference implements AutoCloseable {
  final OrtEnvironment env = OrtEnvironment.getEnvironment();
  final OrtSession session;

  OrtReference(String resource, int threads) throws Exception {
    byte[] bytes;
    try (InputStream in = OrtReference.class.getClassLoader().getResourceAsStream(resource)) {
      bytes = in.readAllBytes();
    }
    OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
    if (threads > 0) {
      opts.setIntraOpNumThreads(threads);
      opts.setInterOpNumThreads(1);
    }
    session = env.createSession(bytes, opts);
  }

  /** Last hidden state of a padded batch: [batch][len][hidden]. */
  float[][][] hidden(long[] ids, int batch, int len, int[] lengths) throws OrtException {
    long[] mask = new long[batch * len];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < lengths[b]; t++) mask[b * len + t] = 1;
    }
    long[] types = new long[batch * len];
    long[] shape = {batch, len};
    Map<String, OnnxTensor> in = new HashMap<>();
    try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape)) {
      in.put("input_ids", a);
      in.put("attention_mask", m);
      if (session.getInputNames().contains("token_type_ids")) in.put("token_type_ids", t);
      try (OrtSession.Result r = session.run(in)) {
        return (float[][][]) r.get(0).getValue();
      }
    }
  }

  float[][] hidden(long[] window) throws OrtException {
    return hidden(window, 1, window.length, new int[] {window.length})[0];
  }

  static float[] pool(float[][] hidden, int length, Pooling pooling) {
    int dim = hidden[0].length;
    double[] acc = new double[dim];
    if (pooling == Pooling.CLS) {
      for (int j = 0; j < dim; j++) acc[j] = hidden[0][j];
    } else {
      for (int t = 0; t < length; t++) for (int j = 0; j < dim; j++) acc[j] += hidden[t][j];
    }
    return ChunkedEmbedder.normalize(acc);
  }

  /** Pooled, normalised vectors of windows, batched like the embedder (same plan; padded, masked). */
  float[][] embedWindows(List<long[]> windows, int batchSize, Pooling pooling) throws OrtException {
    float[][] out = new float[windows.size()][];
    for (Batches.Batch batch : Batches.plan(windows, batchSize, ChunkedEmbedder.BATCH_TOKENS)) {
      int b = batch.size();
      int len = batch.length();
      long[] ids = new long[b * len];
      int[] lengths = new int[b];
      for (int i = 0; i < b; i++) {
        long[] w = windows.get(batch.members()[i]);
        lengths[i] = w.length;
        System.arraycopy(w, 0, ids, i * len, w.length);
      }
      float[][][] h = hidden(ids, b, len, lengths);
      for (int i = 0; i < b; i++) out[batch.members()[i]] = pool(h[i], lengths[i], pooling);
    }
    return out;
  }

  static double cosine(float[] a, float[] b) {
    double d = 0, na = 0, nb = 0;
    for (int i = 0; i < a.length; i++) {
      d += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return d / Math.sqrt(na * nb);
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
    return m;
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
