package org.doppel.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A BERT encoder (post-LayerNorm, erf GELU, absolute positions) written with DJL NDArray
 * operations on the PyTorch engine. Inference only. All weights live in the manager passed to
 * the constructor; each forward pass allocates its arrays in the caller's (child) manager and
 * closes intermediates as soon as they are used.
 */
final class BertEncoder {

  private static final float MASK_VALUE = -1e9f;

  final BertConfig config;
  private final PtNDArray wordEmb;
  /** position_embeddings + token_type_embeddings[0], [maxPositions, hidden]. */
  private final PtNDArray posTypeEmb;
  private final PtNDArray embLnW;
  private final PtNDArray embLnB;
  private final Layer[] layers;
  private final Shape lnShape;

  private record Layer(
      PtNDArray qkvW, // [3*hidden, hidden] (torch linear layout), query rows pre-scaled by 1/sqrt(d)
      PtNDArray qkvB,
      PtNDArray attnOutW,
      PtNDArray attnOutB,
      PtNDArray ln1W,
      PtNDArray ln1B,
      PtNDArray interW,
      PtNDArray interB,
      PtNDArray outW,
      PtNDArray outB,
      PtNDArray ln2W,
      PtNDArray ln2B) {}

  BertEncoder(OnnxWeights w, Integer configHeads, Float configEps, NDManager manager) {
    OnnxWeights.Tensor word = w.require("embeddings.word_embeddings.weight");
    OnnxWeights.Tensor pos = w.require("embeddings.position_embeddings.weight");
    int hidden = (int) word.dims()[1];
    int vocab = (int) word.dims()[0];
    int layersN = 0;
    while (w.tensors.containsKey("encoder.layer." + layersN + ".attention.self.query.bias")) layersN++;
    if (layersN == 0) w.require("encoder.layer.0.attention.self.query.bias");
    int inter = (int) w.require("encoder.layer.0.intermediate.dense.bias").dims()[0];
    Integer heads = configHeads != null ? configHeads : w.graphHeads;
    if (heads == null) {
      if (hidden % 64 != 0) {
        throw new ModelLoadException(
            "cannot find the number of attention heads in " + w.source + " (add a config.json)");
      }
      heads = hidden / 64;
    }
    if (hidden % heads != 0) {
      throw new ModelLoadException("hidden size " + hidden + " is not a multiple of heads " + heads);
    }
    float eps = configEps != null ? configEps : (w.graphEps != null ? w.graphEps : 1e-12f);
    OnnxWeights.Tensor type = w.tensors.get("embeddings.token_type_embeddings.weight");
    this.config =
        new BertConfig(
            hidden, layersN, heads, inter, (int) pos.dims()[0], vocab,
            type == null ? 0 : (int) type.dims()[0], eps);
    this.lnShape = new Shape(hidden);

    wordEmb = load(manager, word, "embeddings.word_embeddings.weight", vocab, hidden);
    PtNDArray p = load(manager, pos, "embeddings.position_embeddings.weight", config.maxPositions(), hidden);
    if (type != null) {
      PtNDArray t = load(manager, type, "embeddings.token_type_embeddings.weight", config.typeVocab(), hidden);
      try (NDArray t0 = t.get(0)) {
        posTypeEmb = (PtNDArray) p.add(t0);
      }
      t.close();
      p.close();
    } else {
      posTypeEmb = p;
    }
    embLnW = vec(manager, w, "embeddings.LayerNorm.weight", hidden);
    embLnB = vec(manager, w, "embeddings.LayerNorm.bias", hidden);

    float scale = (float) (1.0 / Math.sqrt(config.headSize()));
    layers = new Layer[layersN];
    for (int i = 0; i < layersN; i++) {
      String pre = "encoder.layer." + i + ".";
      // ONNX stores [in, out]; torch linear wants [out, in]: transpose once, contiguous.
      PtNDArray q = linearWeight(manager, w, pre + "attention.self.query", hidden, hidden);
      PtNDArray k = linearWeight(manager, w, pre + "attention.self.key", hidden, hidden);
      PtNDArray v = linearWeight(manager, w, pre + "attention.self.value", hidden, hidden);
      PtNDArray qb = vec(manager, w, pre + "attention.self.query.bias", hidden);
      PtNDArray kb = vec(manager, w, pre + "attention.self.key.bias", hidden);
      PtNDArray vb = vec(manager, w, pre + "attention.self.value.bias", hidden);
      q.muli(scale);
      qb.muli(scale);
      PtNDArray qkvW = (PtNDArray) NDArrays.concat(new ai.djl.ndarray.NDList(q, k, v), 0);
      PtNDArray qkvB = (PtNDArray) NDArrays.concat(new ai.djl.ndarray.NDList(qb, kb, vb), 0);
      q.close(); k.close(); v.close(); qb.close(); kb.close(); vb.close();
      layers[i] =
          new Layer(
              qkvW,
              qkvB,
              linearWeight(manager, w, pre + "attention.output.dense", hidden, hidden),
              vec(manager, w, pre + "attention.output.dense.bias", hidden),
              vec(manager, w, pre + "attention.output.LayerNorm.weight", hidden),
              vec(manager, w, pre + "attention.output.LayerNorm.bias", hidden),
              linearWeight(manager, w, pre + "intermediate.dense", hidden, inter),
              vec(manager, w, pre + "intermediate.dense.bias", inter),
              linearWeight(manager, w, pre + "output.dense", inter, hidden),
              vec(manager, w, pre + "output.dense.bias", hidden),
              vec(manager, w, pre + "output.LayerNorm.weight", hidden),
              vec(manager, w, pre + "output.LayerNorm.bias", hidden));
    }
  }

  private static PtNDArray load(NDManager m, OnnxWeights.Tensor t, String name, long... shape) {
    Shape s = new Shape(shape);
    if (t.size() != s.size() || t.dims().length != shape.length) {
      throw new ModelLoadException(
          "tensor '" + name + "' has shape " + java.util.Arrays.toString(t.dims())
              + ", expected " + s);
    }
    ByteBuffer src = t.data().duplicate();
    ByteBuffer direct = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.nativeOrder());
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      direct.put(src);
    } else {
      src.order(ByteOrder.LITTLE_ENDIAN);
      while (src.hasRemaining()) direct.putFloat(src.getFloat());
    }
    direct.flip();
    return (PtNDArray) m.create(direct, s, DataType.FLOAT32);
  }

  private static PtNDArray vec(NDManager m, OnnxWeights w, String name, int n) {
    return load(m, w.require(name), name, n);
  }

  private static PtNDArray linearWeight(NDManager m, OnnxWeights w, String base, int in, int out) {
    String name = base + ".weight";
    OnnxWeights.Tensor t = w.require(name);
    try (PtNDArray io = load(m, t, name, in, out)) {
      // [in, out] -> [out, in], materialised contiguous (a fresh array, not a view).
      return (PtNDArray) io.transpose().duplicate();
    }
  }

  /** softmax(q k^T + mask) v for q [B, nh, L, hd] (pre-scaled), kt [B, nh, hd, L]. */
  private static PtNDArray attention(PtNDArray q, PtNDArray kt, PtNDArray v, PtNDArray mask) {
    PtNDArray scores = (PtNDArray) q.matMul(kt); // [B, nh, L, L]
    if (mask != null) scores.addi(mask);
    PtNDArray probs = scores.softmax(-1);
    scores.close();
    PtNDArray ctx = (PtNDArray) probs.matMul(v); // [B, nh, L, hd]
    probs.close();
    return ctx;
  }

  /**
   * Last hidden state for a padded batch.
   *
   * @param ids token ids, row-major [batch, len], padded with any id
   * @param lengths real tokens per row
   * @return [batch, len, hidden] in manager {@code m}
   */
  PtNDArray forward(NDManager m, long[] ids, int batch, int len, int[] lengths) {
    if (len > config.maxPositions()) {
      throw new IllegalArgumentException(
          "window of " + len + " tokens exceeds the model maximum " + config.maxPositions());
    }
    int hidden = config.hidden();
    int heads = config.heads();
    int hd = config.headSize();
    PtNDArray idArr = (PtNDArray) m.create(ids, new Shape(batch, len));
    PtNDArray x = JniUtils.embedding(idArr, wordEmb, false);
    idArr.close();
    try (NDArray posSlice = posTypeEmb.get(new NDIndex("0:{}", len))) {
      x.addi(posSlice);
    }
    PtNDArray h = JniUtils.layerNorm(x, lnShape, embLnW, embLnB, config.layerNormEps());
    x.close();

    PtNDArray mask = null;
    boolean padded = false;
    for (int l : lengths) padded |= l < len;
    if (padded) {
      float[] mk = new float[batch * len];
      for (int b = 0; b < batch; b++) {
        for (int t = lengths[b]; t < len; t++) mk[b * len + t] = MASK_VALUE;
      }
      mask = (PtNDArray) m.create(mk, new Shape(batch, 1, 1, len));
    }

    // Rows per attention block: keep [rows, heads, L, L] floats under ~16 MB.
    int group = (int) Math.max(1, Math.min(batch, (4L << 20) / ((long) heads * len * len)));
    for (Layer ly : layers) {
      PtNDArray qkv = JniUtils.linear(h, ly.qkvW, ly.qkvB); // [B, L, 3H]
      PtNDArray qkv5 = (PtNDArray) qkv.reshape(batch, len, 3, heads, hd).transpose(2, 0, 3, 1, 4);
      qkv.close();
      PtNDArray q = (PtNDArray) qkv5.get(0); // [B, nh, L, hd]
      PtNDArray k = (PtNDArray) qkv5.get(1);
      PtNDArray v = (PtNDArray) qkv5.get(2);
      qkv5.close();
      PtNDArray kt = k.transpose(0, 1, 3, 2);
      k.close();
      PtNDArray ctx;
      if (group >= batch) {
        ctx = attention(q, kt, v, mask);
      } else {
        // Rows in groups so that no score matrix is large (big blocks are mmap'd and page-faulted
        // afresh by malloc on every allocation).
        ai.djl.ndarray.NDList parts = new ai.djl.ndarray.NDList();
        for (int s = 0; s < batch; s += group) {
          NDIndex rows = new NDIndex("{}:{}", s, Math.min(batch, s + group));
          try (PtNDArray qg = (PtNDArray) q.get(rows);
              PtNDArray kg = (PtNDArray) kt.get(rows);
              PtNDArray vg = (PtNDArray) v.get(rows);
              PtNDArray mg = mask == null ? null : (PtNDArray) mask.get(rows)) {
            parts.add(attention(qg, kg, vg, mg));
          }
        }
        ctx = (PtNDArray) NDArrays.concat(parts, 0);
        parts.close();
      }
      q.close();
      kt.close();
      v.close();
      PtNDArray ctxT = ctx.transpose(0, 2, 1, 3);
      ctx.close();
      PtNDArray ctx2 = (PtNDArray) ctxT.reshape(batch, len, hidden);
      ctxT.close();
      PtNDArray attn = JniUtils.linear(ctx2, ly.attnOutW, ly.attnOutB);
      ctx2.close();
      attn.addi(h);
      h.close();
      PtNDArray h1 = JniUtils.layerNorm(attn, lnShape, ly.ln1W, ly.ln1B, config.layerNormEps());
      attn.close();
      PtNDArray inter = JniUtils.linear(h1, ly.interW, ly.interB);
      PtNDArray act = JniUtils.gelu(inter);
      inter.close();
      PtNDArray out = JniUtils.linear(act, ly.outW, ly.outB);
      act.close();
      out.addi(h1);
      h1.close();
      h = JniUtils.layerNorm(out, lnShape, ly.ln2W, ly.ln2B, config.layerNormEps());
      out.close();
    }
    if (mask != null) mask.close();
    return h;
  }
}
