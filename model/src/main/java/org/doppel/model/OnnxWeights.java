package org.doppel.model;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The float weights of a BERT-family ONNX export, under their PyTorch names.
 *
 * <p>Embeddings, LayerNorms and biases keep their PyTorch names in the ONNX initializers. Linear
 * weights are often anonymous ({@code onnx::MatMul_N}, stored transposed as [in, out]); they are
 * recovered by walking the graph: a MatMul whose output feeds an Add with a named {@code X.bias}
 * initializer gives {@code X.weight}. All linear weights returned here are [in, out].
 */
final class OnnxWeights {

  /** A float32 tensor: little-endian bytes and shape. */
  record Tensor(long[] dims, ByteBuffer data) {
    long size() {
      long n = 1;
      for (long d : dims) n *= d;
      return n;
    }
  }

  final String source;
  /** Canonical names (prefix such as "bert." removed) to tensors. */
  final Map<String, Tensor> tensors = new HashMap<>();
  /** Attention heads found in the graph's Reshape shape constants, or null. */
  Integer graphHeads;
  /** LayerNorm epsilon found in the graph, or null. */
  Float graphEps;

  int linearsRecovered;

  private OnnxWeights(String source) {
    this.source = source;
  }

  static OnnxWeights read(InputStream in, String source) {
    ModelProto model;
    try {
      CodedInputStream cis = CodedInputStream.newInstance(in);
      cis.setSizeLimit(Integer.MAX_VALUE);
      model = ModelProto.parseFrom(cis);
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot read ONNX model " + source + ": " + e.getMessage(), e);
    }
    OnnxWeights w = new OnnxWeights(source);
    w.extract(model.getGraph());
    return w;
  }

  Tensor require(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new ModelLoadException(
          "ONNX model " + source + " has no tensor '" + name + "' (not a BERT encoder export?)");
    }
    return t;
  }

  private void extract(GraphProto g) {
    Map<String, TensorProto> inits = new HashMap<>();
    for (TensorProto t : g.getInitializerList()) inits.put(t.getName(), t);
    // Constants may also be Constant nodes.
    Map<String, NodeProto> producer = new HashMap<>();
    Map<String, List<NodeProto>> consumers = new HashMap<>();
    for (NodeProto n : g.getNodeList()) {
      for (String o : n.getOutputList()) producer.put(o, n);
      for (String i : n.getInputList()) consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
    }

    String prefix = null;
    for (String name : inits.keySet()) {
      if (name.endsWith("embeddings.word_embeddings.weight")) {
        prefix = name.substring(0, name.length() - "embeddings.word_embeddings.weight".length());
      }
    }
    if (prefix == null) {
      throw new ModelLoadException(
          "ONNX model " + source + " has no initializer 'embeddings.word_embeddings.weight'"
              + " (not a BERT encoder export, or weights stored as external data?)");
    }

    for (TensorProto t : inits.values()) {
      if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) continue;
      String name = t.getName();
      if (name.startsWith(prefix) && !name.startsWith("onnx::")) {
        tensors.put(name.substring(prefix.length()), floats(t));
      }
    }

    // Recover anonymous linear weights: MatMul(x, W) -> Add(bias, .) with bias named X.bias.
    for (NodeProto n : g.getNodeList()) {
      if (!n.getOpType().equals("MatMul") || n.getInputCount() != 2) continue;
      TensorProto w = inits.get(n.getInput(1));
      if (w == null || w.getDataType() != TensorProto.DataType.FLOAT_VALUE) continue;
      for (NodeProto add : consumers.getOrDefault(n.getOutput(0), List.of())) {
        if (!add.getOpType().equals("Add")) continue;
        for (String in : add.getInputList()) {
          if (in.equals(n.getOutput(0)) || !in.endsWith(".bias") || !inits.containsKey(in)) continue;
          if (!in.startsWith(prefix)) continue;
          String wname = in.substring(prefix.length(), in.length() - ".bias".length()) + ".weight";
          tensors.put(wname, floats(w));
          linearsRecovered++;
        }
      }
    }

    // Heads: the Reshape of layer 0's key projection to [B, L, heads, headSize].
    String keyBias = prefix + "encoder.layer.0.attention.self.key.bias";
    for (NodeProto add : consumers.getOrDefault(keyBias, List.of())) {
      for (NodeProto r : consumers.getOrDefault(add.getOutput(0), List.of())) {
        if (!r.getOpType().equals("Reshape") || r.getInputCount() < 2) continue;
        long[] shape = constantLongs(r.getInput(1), inits, producer);
        if (shape != null && shape.length == 4 && shape[2] > 0) {
          graphHeads = (int) shape[2];
        } else {
          NodeProto concat = producer.get(r.getInput(1));
          if (concat != null && concat.getOpType().equals("Concat") && concat.getInputCount() == 4) {
            long[] h = constantLongs(concat.getInput(2), inits, producer);
            if (h != null && h.length == 1 && h[0] > 0) graphHeads = (int) h[0];
          }
        }
      }
    }

    // LayerNorm epsilon: a LayerNormalization node, or the constant added before the first Sqrt.
    for (NodeProto n : g.getNodeList()) {
      if (n.getOpType().equals("LayerNormalization")) {
        for (AttributeProto a : n.getAttributeList()) {
          if (a.getName().equals("epsilon")) graphEps = a.getF();
        }
        if (graphEps == null) graphEps = 1e-5f;
        break;
      }
      if (n.getOpType().equals("Sqrt")) {
        NodeProto add = producer.get(n.getInput(0));
        if (add != null && add.getOpType().equals("Add")) {
          for (String in : add.getInputList()) {
            float[] f = constantFloats(in, inits, producer);
            if (f != null && f.length == 1) graphEps = f[0];
          }
        }
        break;
      }
    }
  }

  private static TensorProto constantTensor(
      String name, Map<String, TensorProto> inits, Map<String, NodeProto> producer) {
    TensorProto t = inits.get(name);
    if (t != null) return t;
    NodeProto c = producer.get(name);
    if (c == null || !c.getOpType().equals("Constant")) return null;
    for (AttributeProto a : c.getAttributeList()) {
      if (a.getName().equals("value") && a.hasT()) return a.getT();
    }
    return null;
  }

  private static long[] constantLongs(
      String name, Map<String, TensorProto> inits, Map<String, NodeProto> producer) {
    TensorProto t = constantTensor(name, inits, producer);
    if (t == null || t.getDataType() != TensorProto.DataType.INT64_VALUE) return null;
    if (t.getInt64DataCount() > 0) {
      return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
    }
    ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long[] out = new long[b.remaining() / 8];
    for (int i = 0; i < out.length; i++) out[i] = b.getLong();
    return out;
  }

  private static float[] constantFloats(
      String name, Map<String, TensorProto> inits, Map<String, NodeProto> producer) {
    TensorProto t = constantTensor(name, inits, producer);
    if (t == null || t.getDataType() != TensorProto.DataType.FLOAT_VALUE) return null;
    if (t.getFloatDataCount() > 0) {
      float[] out = new float[t.getFloatDataCount()];
      for (int i = 0; i < out.length; i++) out[i] = t.getFloatData(i);
      return out;
    }
    ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    for (int i = 0; i < out.length; i++) out[i] = b.getFloat();
    return out;
  }

  private Tensor floats(TensorProto t) {
    long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long n = 1;
    for (long d : dims) n *= d;
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL || t.getExternalDataCount() > 0) {
      throw new ModelLoadException(
          "ONNX model " + source + ": tensor '" + t.getName()
              + "' is stored as external data; only self-contained .onnx files are supported");
    }
    ByteBuffer buf;
    ByteString raw = t.getRawData();
    if (!raw.isEmpty()) {
      if (raw.size() != n * 4) {
        throw new ModelLoadException(
            "ONNX model " + source + ": tensor '" + t.getName() + "' has " + raw.size()
                + " bytes, expected " + (n * 4));
      }
      buf = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    } else {
      if (t.getFloatDataCount() != n) {
        throw new ModelLoadException(
            "ONNX model " + source + ": tensor '" + t.getName() + "' has "
                + t.getFloatDataCount() + " values, expected " + n);
      }
      buf = ByteBuffer.allocate((int) (n * 4)).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < n; i++) buf.putFloat(t.getFloatData(i));
      buf.flip();
    }
    return new Tensor(dims, buf);
  }
}
