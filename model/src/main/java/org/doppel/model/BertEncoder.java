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
import java.util.Map;

/**
 * A BERT-family encoder (post-LayerNorm, erf GELU) written with DJL NDArray operations on the
 * PyTorch engine. Inference only. Three variants: BERT (absolute positions), RoBERTa/XLM-R
 * (absolute positions starting at {@code pad_token_id + 1}) and JinaBERT (no position embeddings,
 * ALiBi attention bias {@code -slope_h * |i - j|}, GEGLU feed-forward {@code gelu(x W_gate) * (x
 * W_up)} with gate = first half of {@code mlp.gated_layers}). All weights live in the manager passed
 * to the constructor (and on its device); each forward pass allocates its arrays in the caller's
 * (child) manager and closes intermediates as soon as they are used.
 *
 * <p>Compute type: float32, or float16 (the GPU path): weights are prepared in float32 (query
 * scaling, fused q/k/v) and then cast; the padding mask and the ALiBi bias are built in float32 and
 * cast; torch's float16 LayerNorm and softmax kernels accumulate in float32. {@link #forward}
 * returns the compute type; callers pool in float32.
 */
final class BertEncoder {

  private static final float MASK_VALUE = -1e9f;

  /**
   * Largest attention score block in floats (~16 MB): batch rows are grouped, and long sequences
   * are cut into query blocks, so that no [rows, heads, queries, keys] block exceeds it (all heads'
   * full score matrices of an 8192-token window would be 3 GB).
   */
  static volatile long scoreBlockFloats = Long.getLong("doppel.attnBlockFloats", 4L << 20);

  /**
   * Where the weights come from and how to read them.
   *
   * @param linearInOut linear weights stored [in, out] (ONNX) rather than [out, in] (PyTorch)
   * @param hidden ... maxPositions: expected sizes from config.json (null = infer from weights)
   * @param positionOffset index of the first position embedding used (RoBERTa: pad_token_id + 1)
   */
  record Spec(
      String source,
      Map<String, OnnxWeights.Tensor> tensors,
      Map<String, String> files,
      boolean linearInOut,
      Integer heads,
      Float eps,
      boolean alibi,
      boolean geglu,
      int positionOffset,
      Integer hidden,
      Integer layers,
      Integer intermediate,
      Integer maxPositions) {

    OnnxWeights.Tensor require(String name) {
      OnnxWeights.Tensor t = tensors.get(name);
      if (t == null) {
        throw new ModelLoadException(source + " has no tensor '" + name + "'");
      }
      return t;
    }

    String where(String name) {
      return files == null ? source : files.getOrDefault(name, source);
    }
  }

  final BertConfig config;
  /**
   * FLOAT32 or FLOAT16: weights and activations. BFLOAT16 runs only on the JNI scripts/build-torch-jni builds
   * (DJL's stock JNI aborts the JVM on it): a measured lever, not a product setting.
   */
  final DataType dtype;
  /** Score block for this encoder's forward passes, 0 = {@link #scoreBlockFloats} (CPU default). */
  volatile long scoreBlockOverride;
  final boolean alibi;
  final boolean geglu;
  final int positionOffset;
  /**
   * Attention by libtorch's fused scaled_dot_product_attention ({@link TorchOps}: a JNI built by
   * scripts/build-torch-jni), else matmul, softmax, matmul with DJL's ops.
   */
  final boolean fused;
  private final PtNDArray wordEmb;
  /**
   * position_embeddings + token_type_embeddings[0], [positions, hidden]; for ALiBi models
   * token_type_embeddings[0] alone, [hidden] (or null).
   */
  private final PtNDArray posTypeEmb;
  /** -slope per head, [heads, 1, 1] (ALiBi only). */
  private final PtNDArray negSlopes;
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
      PtNDArray interW, // [inter, hidden], or GEGLU [2*inter, hidden] (gate rows first)
      PtNDArray interB,
      PtNDArray outW,
      PtNDArray outB,
      PtNDArray ln2W,
      PtNDArray ln2B) {

    /** This layer in another type (the float32 arrays are closed). */
    Layer cast(DataType t) {
      return new Layer(to(qkvW, t), to(qkvB, t), to(attnOutW, t), to(attnOutB, t), to(ln1W, t), to(ln1B, t),
          to(interW, t), to(interB, t), to(outW, t), to(outB, t), to(ln2W, t), to(ln2B, t));
    }
  }

  /** {@code a} as type {@code t}; closes {@code a} when a converted copy is returned. */
  static PtNDArray to(PtNDArray a, DataType t) {
    if (a == null || a.getDataType() == t) return a;
    PtNDArray c = a.toType(t, false);
    a.close();
    return c;
  }

  BertEncoder(OnnxWeights w, Integer configHeads, Float configEps, NDManager manager) {
    this(onnxSpec(w, configHeads, configEps), manager, DataType.FLOAT32);
  }

  BertEncoder(OnnxWeights w, Integer configHeads, Float configEps, NDManager manager, DataType dtype) {
    this(onnxSpec(w, configHeads, configEps), manager, dtype);
  }

  BertEncoder(Spec w, NDManager manager) {
    this(w, manager, DataType.FLOAT32);
  }

  private static Spec onnxSpec(OnnxWeights w, Integer configHeads, Float configEps) {
    Integer heads = configHeads != null ? configHeads : w.graphHeads;
    Float eps = configEps != null ? configEps : w.graphEps;
    return new Spec("ONNX model " + w.source, w.tensors, null, true, heads, eps, false, false, 0,
        null, null, null, null);
  }

  BertEncoder(Spec w, NDManager manager, DataType dtype) {
    if (dtype != DataType.FLOAT32 && dtype != DataType.FLOAT16 && dtype != DataType.BFLOAT16) {
      throw new IllegalArgumentException("compute type must be FLOAT32, FLOAT16 or BFLOAT16, got " + dtype);
    }
    this.dtype = dtype;
    OnnxWeights.Tensor word = w.require("embeddings.word_embeddings.weight");
    if (word.dims().length != 2) {
      throw new ModelLoadException("tensor 'embeddings.word_embeddings.weight' in " + w.where("embeddings.word_embeddings.weight")
          + " has shape " + java.util.Arrays.toString(word.dims()) + ", expected [vocab, hidden]");
    }
    int hidden = w.hidden() != null ? w.hidden() : (int) word.dims()[1];
    int vocab = (int) word.dims()[0];
    int layersN = 0;
    while (w.tensors().containsKey("encoder.layer." + layersN + ".attention.self.query.bias")) layersN++;
    if (w.layers() != null && layersN < w.layers()) {
      w.require("encoder.layer." + layersN + ".attention.self.query.bias");
    }
    if (layersN == 0) w.require("encoder.layer.0.attention.self.query.bias");
    if (w.layers() != null) layersN = w.layers();
    String ffIn = w.geglu() ? "mlp.gated_layers" : "intermediate.dense";
    int inter;
    if (w.intermediate() != null) {
      inter = w.intermediate();
    } else if (w.geglu()) {
      inter = (int) w.require("encoder.layer.0." + ffIn + ".weight").dims()[0] / 2;
    } else {
      inter = (int) w.require("encoder.layer.0.intermediate.dense.bias").dims()[0];
    }
    Integer heads = w.heads();
    if (heads == null) {
      if (hidden % 64 != 0) {
        throw new ModelLoadException(
            "cannot find the number of attention heads in " + w.source() + " (add a config.json)");
      }
      heads = hidden / 64;
    }
    if (heads <= 0 || hidden % heads != 0) {
      throw new ModelLoadException("hidden size " + hidden + " is not a multiple of heads " + heads);
    }
    float eps = w.eps() != null ? w.eps() : 1e-12f;
    OnnxWeights.Tensor type = w.tensors().get("embeddings.token_type_embeddings.weight");
    this.alibi = w.alibi();
    this.geglu = w.geglu();
    this.positionOffset = w.positionOffset();
    int maxPositions;
    OnnxWeights.Tensor pos = null;
    if (alibi) {
      maxPositions = w.maxPositions() != null ? w.maxPositions() : 8192;
    } else {
      pos = w.require("embeddings.position_embeddings.weight");
      long table = w.maxPositions() != null ? w.maxPositions() : pos.dims()[0];
      maxPositions = (int) table - positionOffset;
      if (maxPositions < 3) {
        throw new ModelLoadException("position table of " + table + " rows leaves no room for positions from "
            + positionOffset + " in " + w.where("embeddings.position_embeddings.weight"));
      }
    }
    this.config =
        new BertConfig(
            hidden, layersN, heads, inter, maxPositions, vocab,
            type == null ? 0 : (int) type.dims()[0], eps);
    this.lnShape = new Shape(hidden);
    this.fused = TorchOps.available();

    wordEmb = to(load(manager, w, "embeddings.word_embeddings.weight", vocab, hidden), dtype);
    PtNDArray t0 = null;
    if (type != null) {
      try (PtNDArray t = load(manager, w, "embeddings.token_type_embeddings.weight", config.typeVocab(), hidden)) {
        t0 = (PtNDArray) t.get(0).duplicate();
      }
    }
    if (alibi) {
      posTypeEmb = to(t0, dtype);
      float[] s = alibiSlopes(heads);
      for (int i = 0; i < s.length; i++) s[i] = -s[i];
      negSlopes = (PtNDArray) manager.create(s, new Shape(heads, 1, 1));
    } else {
      PtNDArray p = load(manager, w, "embeddings.position_embeddings.weight", maxPositions + positionOffset, hidden);
      if (t0 != null) {
        p.addi(t0);
        t0.close();
      }
      posTypeEmb = to(p, dtype);
      negSlopes = null;
    }
    embLnW = to(vec(manager, w, "embeddings.LayerNorm.weight", hidden), dtype);
    embLnB = to(vec(manager, w, "embeddings.LayerNorm.bias", hidden), dtype);

    float scale = (float) (1.0 / Math.sqrt(config.headSize()));
    layers = new Layer[layersN];
    for (int i = 0; i < layersN; i++) {
      String pre = "encoder.layer." + i + ".";
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
      PtNDArray interW;
      PtNDArray interB;
      PtNDArray outW;
      PtNDArray outB;
      PtNDArray ln2W;
      PtNDArray ln2B;
      if (geglu) {
        interW = linearWeight(manager, w, pre + "mlp.gated_layers", hidden, 2 * inter);
        String gb = pre + "mlp.gated_layers.bias";
        interB = w.tensors().containsKey(gb) ? vec(manager, w, gb, 2 * inter)
            : (PtNDArray) manager.zeros(new Shape(2 * inter), DataType.FLOAT32);
        outW = linearWeight(manager, w, pre + "mlp.wo", inter, hidden);
        outB = vec(manager, w, pre + "mlp.wo.bias", hidden);
        ln2W = vec(manager, w, pre + "mlp.layernorm.weight", hidden);
        ln2B = vec(manager, w, pre + "mlp.layernorm.bias", hidden);
      } else {
        interW = linearWeight(manager, w, pre + "intermediate.dense", hidden, inter);
        interB = vec(manager, w, pre + "intermediate.dense.bias", inter);
        outW = linearWeight(manager, w, pre + "output.dense", inter, hidden);
        outB = vec(manager, w, pre + "output.dense.bias", hidden);
        ln2W = vec(manager, w, pre + "output.LayerNorm.weight", hidden);
        ln2B = vec(manager, w, pre + "output.LayerNorm.bias", hidden);
      }
      layers[i] =
          new Layer(
              qkvW,
              qkvB,
              linearWeight(manager, w, pre + "attention.output.dense", hidden, hidden),
              vec(manager, w, pre + "attention.output.dense.bias", hidden),
              vec(manager, w, pre + "attention.output.LayerNorm.weight", hidden),
              vec(manager, w, pre + "attention.output.LayerNorm.bias", hidden),
              interW, interB, outW, outB, ln2W, ln2B).cast(dtype);
    }
  }

  /**
   * ALiBi head slopes (Press et al.): for a power of two n, {@code start^(i+1)} with {@code start =
   * 2^(-8/n)}; otherwise the slopes of the closest lower power of two c followed by every other
   * slope of 2c.
   */
  static float[] alibiSlopes(int n) {
    double[] d = alibiSlopesD(n);
    float[] f = new float[n];
    for (int i = 0; i < n; i++) f[i] = (float) d[i];
    return f;
  }

  private static double[] alibiSlopesD(int n) {
    int c = Integer.highestOneBit(n);
    double[] out = new double[n];
    double start = Math.pow(2, -8.0 / c);
    for (int i = 0; i < c; i++) out[i] = Math.pow(start, i + 1);
    if (c != n) {
      double[] twice = alibiSlopesD(2 * c);
      for (int i = 0; i < n - c; i++) out[c + i] = twice[2 * i];
    }
    return out;
  }

  private static PtNDArray load(NDManager m, Spec w, String name, long... shape) {
    OnnxWeights.Tensor t = w.require(name);
    Shape s = new Shape(shape);
    if (t.size() != s.size() || t.dims().length != shape.length) {
      throw new ModelLoadException(
          "tensor '" + name + "' in " + w.where(name) + " has shape " + java.util.Arrays.toString(t.dims())
              + ", expected " + java.util.Arrays.toString(shape));
    }
    if (!java.util.Arrays.equals(t.dims(), shape)) {
      throw new ModelLoadException(
          "tensor '" + name + "' in " + w.where(name) + " has shape " + java.util.Arrays.toString(t.dims())
              + ", expected " + java.util.Arrays.toString(shape));
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

  private static PtNDArray vec(NDManager m, Spec w, String name, int n) {
    return load(m, w, name, n);
  }

  /** A linear weight in torch layout [out, in], contiguous. */
  private static PtNDArray linearWeight(NDManager m, Spec w, String base, int in, int out) {
    String name = base + ".weight";
    if (!w.linearInOut()) return load(m, w, name, out, in);
    try (PtNDArray io = load(m, w, name, in, out)) {
      // ONNX [in, out] -> [out, in], materialised contiguous (a fresh array, not a view).
      return (PtNDArray) io.transpose().duplicate();
    }
  }

  /** {@code sdpa} or {@code matmul}: how {@link #attention} computes, for reports. */
  String attention() {
    return fused ? "sdpa" : "matmul";
  }

  /** softmax(q k^T + mask + bias) v for q [B, nh, Lq, hd] (pre-scaled), k and v [B, nh, L, hd]. */
  private PtNDArray attention(PtNDArray q, PtNDArray k, PtNDArray v, PtNDArray mask, PtNDArray bias) {
    if (fused) {
      if (mask == null || bias == null) return TorchOps.sdpa(q, k, v, mask != null ? mask : bias, 1.0);
      try (PtNDArray both = (PtNDArray) mask.add(bias)) { // [B, nh, Lq, L]
        return TorchOps.sdpa(q, k, v, both, 1.0);
      }
    }
    PtNDArray kt = k.transpose(0, 1, 3, 2);
    PtNDArray scores = (PtNDArray) q.matMul(kt); // [B, nh, Lq, L]
    kt.close();
    if (mask != null) scores.addi(mask);
    if (bias != null) scores.addi(bias);
    PtNDArray probs = scores.softmax(-1);
    scores.close();
    PtNDArray ctx = (PtNDArray) probs.matMul(v); // [B, nh, Lq, hd]
    probs.close();
    return ctx;
  }

  /**
   * ALiBi bias -slope_h * |i - j| for queries [i0, i1) and keys [0, len): [1, nh, i1 - i0, len] (four dimensions:
   * libtorch's fused CPU attention takes a slow path for a three-dimensional mask).
   */
  private PtNDArray alibiBias(NDManager m, int i0, int i1, int len) {
    try (NDArray cols = m.arange(0f, (float) len, 1f, DataType.FLOAT32);
        NDArray rows0 = m.arange((float) i0, (float) i1, 1f, DataType.FLOAT32);
        NDArray rows = rows0.reshape(i1 - i0, 1);
        NDArray diff = cols.sub(rows);
        NDArray dist = diff.abs();
        NDArray bias = dist.mul(negSlopes)) {
      return to((PtNDArray) bias.reshape(1, negSlopes.getShape().get(0), i1 - i0, len), dtype);
    }
  }

  /** Query rows per block when one sequence's scores exceed the budget. */
  static int queryBlock(int heads, int len) {
    return queryBlock(heads, len, scoreBlockFloats);
  }

  static int queryBlock(int heads, int len, long scoreBlockFloats) {
    long rows = scoreBlockFloats / ((long) heads * len);
    return (int) Math.max(16, Math.min(len, rows));
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
    if (alibi) {
      if (posTypeEmb != null) x.addi(posTypeEmb);
    } else {
      try (NDArray posSlice = posTypeEmb.get(new NDIndex("{}:{}", positionOffset, positionOffset + len))) {
        x.addi(posSlice);
      }
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
      mask = to((PtNDArray) m.create(mk, new Shape(batch, 1, 1, len)), dtype); // float16: -1e9 -> -inf
    }

    // Attention blocks: keep [rows, heads, queries, L] floats under scoreBlockFloats (~16 MB):
    // whole rows in groups when one row fits, else one row at a time in query blocks.
    long block = scoreBlockOverride > 0 ? scoreBlockOverride : scoreBlockFloats;
    long perRow = (long) heads * len * len;
    boolean rowsFit = perRow <= block;
    int group = rowsFit ? (int) Math.max(1, Math.min(batch, block / perRow)) : 1;
    int qBlock = rowsFit ? len : queryBlock(heads, len, block);
    // The ALiBi bias for whole rows is the same in every layer: build it once per forward pass.
    PtNDArray fullBias = alibi && rowsFit ? alibiBias(m, 0, len, len) : null;
    for (Layer ly : layers) {
      PtNDArray qkv = JniUtils.linear(h, ly.qkvW, ly.qkvB); // [B, L, 3H]
      PtNDArray qkv5 = (PtNDArray) qkv.reshape(batch, len, 3, heads, hd).transpose(2, 0, 3, 1, 4);
      qkv.close();
      PtNDArray q = (PtNDArray) qkv5.get(0); // [B, nh, L, hd]
      PtNDArray k = (PtNDArray) qkv5.get(1);
      PtNDArray v = (PtNDArray) qkv5.get(2);
      qkv5.close();
      PtNDArray ctx;
      if ((rowsFit && group >= batch) || (fused && !alibi)) {
        // Fused attention without a bias holds no score matrix: the whole batch in one call.
        ctx = attention(q, k, v, mask, fullBias);
      } else {
        // Rows in groups (and long rows in query blocks) so that no score matrix is large: big
        // blocks are mmap'd and page-faulted afresh by malloc on every allocation, and all heads'
        // scores of an 8192-token window would take 3 GB.
        ai.djl.ndarray.NDList parts = new ai.djl.ndarray.NDList();
        for (int s = 0; s < batch; s += group) {
          NDIndex rows = new NDIndex("{}:{}", s, Math.min(batch, s + group));
          try (PtNDArray qg = (PtNDArray) q.get(rows);
              PtNDArray kg = (PtNDArray) k.get(rows);
              PtNDArray vg = (PtNDArray) v.get(rows);
              PtNDArray mg = mask == null ? null : (PtNDArray) mask.get(rows)) {
            if (qBlock >= len) {
              parts.add(attention(qg, kg, vg, mg, fullBias));
            } else {
              ai.djl.ndarray.NDList blocks = new ai.djl.ndarray.NDList();
              for (int i0 = 0; i0 < len; i0 += qBlock) {
                int i1 = Math.min(len, i0 + qBlock);
                try (PtNDArray qb = (PtNDArray) qg.get(new NDIndex(":, :, {}:{}", i0, i1));
                    PtNDArray bias = alibi ? alibiBias(m, i0, i1, len) : null) {
                  blocks.add(attention(qb, kg, vg, mg, bias));
                }
              }
              parts.add(NDArrays.concat(blocks, 2));
              blocks.close();
            }
          }
        }
        ctx = parts.size() == 1 ? (PtNDArray) parts.get(0) : (PtNDArray) NDArrays.concat(parts, 0);
        if (parts.size() > 1) parts.close();
      }
      q.close();
      k.close();
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
      PtNDArray act;
      if (geglu) {
        int ni = config.intermediate();
        try (PtNDArray gate = (PtNDArray) inter.get(new NDIndex("..., :{}", ni));
            PtNDArray up = (PtNDArray) inter.get(new NDIndex("..., {}:", ni))) {
          act = JniUtils.gelu(gate);
          act.muli(up);
        }
      } else {
        act = JniUtils.gelu(inter);
      }
      inter.close();
      PtNDArray out = JniUtils.linear(act, ly.outW, ly.outB);
      act.close();
      out.addi(h1);
      h1.close();
      h = JniUtils.layerNorm(out, lnShape, ly.ln2W, ly.ln2B, config.layerNormEps());
      out.close();
    }
    if (fullBias != null) fullBias.close();
    if (mask != null) mask.close();
    return h;
  }
}
