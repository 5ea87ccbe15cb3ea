package org.doppel.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

public final class OpBench {
  static void time(String name, Supplier<NDArray> f) {
    for (int i = 0; i < 3; i++) f.get().close();
    int n = 20;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) f.get().close();
    System.out.printf("%-30s %.3f ms%n", name, (System.nanoTime() - t0) / 1e6 / n);
  }

  public static void main(String[] a) {
    ChunkedEmbedder.defaultOfflineProperties();
    Engine eng = Engine.getEngine("PyTorch");
    if (a.length > 0) JniUtils.setNumThreads(Integer.parseInt(a[0]));
    JniUtils.setGradMode(false);
    System.out.println("threads " + JniUtils.getNumThreads() + " interop " + JniUtils.getNumInteropThreads());
    try (NDManager m = eng.newBaseManager()) {
      PtNDArray x = (PtNDArray) m.randomNormal(new Shape(16, 128, 384));
      PtNDArray w = (PtNDArray) m.randomNormal(new Shape(1536, 384));
      PtNDArray wt = (PtNDArray) m.randomNormal(new Shape(384, 1536)).transpose().duplicate();
      PtNDArray wT = (PtNDArray) m.randomNormal(new Shape(384, 1536));
      PtNDArray b = (PtNDArray) m.randomNormal(new Shape(1536));
      PtNDArray x2 = (PtNDArray) x.reshape(2048, 384);
      time("linear contiguous W", () -> JniUtils.linear(x, w, b));
      time("linear transposed-view W", () -> JniUtils.linear(x, wt, b));
      time("matMul x@W[in,out] 3D", () -> x.matMul(wT));
      time("matMul 2D x@W[in,out]", () -> x2.matMul(wT));
      time("linear 2D", () -> JniUtils.linear(x2, w, b));
      PtNDArray x3 = (PtNDArray) x.reshape(2048, 384, 1);
      PtNDArray w3 = (PtNDArray) w.reshape(1536, 384, 1);
      time("conv1d 1x1 as linear", () -> JniUtils.convolution(x3, w3, b, new Shape(1), new Shape(0), new Shape(1), 1));
      PtNDArray x4 = (PtNDArray) x.reshape(2048, 384, 1, 1);
      PtNDArray w4 = (PtNDArray) w.reshape(1536, 384, 1, 1);
      time("conv2d 1x1 as linear", () -> JniUtils.convolution(x4, w4, b, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1));
      PtNDArray h = (PtNDArray) m.randomNormal(new Shape(16, 128, 1536));
      time("gelu", () -> JniUtils.gelu(h));
      PtNDArray g = (PtNDArray) m.ones(new Shape(384));
      PtNDArray bb = (PtNDArray) m.zeros(new Shape(384));
      time("layerNorm", () -> JniUtils.layerNorm(x, new Shape(384), g, bb, 1e-12));
      PtNDArray q = (PtNDArray) m.randomNormal(new Shape(16, 12, 128, 32));
      PtNDArray kt = (PtNDArray) m.randomNormal(new Shape(16, 12, 32, 128));
      time("scores matMul", () -> q.matMul(kt));
      PtNDArray s = (PtNDArray) m.randomNormal(new Shape(16, 12, 128, 128));
      time("softmax", () -> s.softmax(-1));
      time("probs@v", () -> s.matMul(q));
      PtNDArray qkv = (PtNDArray) m.randomNormal(new Shape(16, 128, 1152));
      PtNDArray qkv5 = (PtNDArray) qkv.reshape(16, 128, 3, 12, 32).transpose(2, 0, 3, 1, 4);
      time("reshape+permute", () -> qkv.reshape(16, 128, 3, 12, 32).transpose(2, 0, 3, 1, 4));
      time("get(0)", () -> qkv5.get(0));
      PtNDArray qv = (PtNDArray) qkv5.get(0);
      PtNDArray kv = (PtNDArray) qkv5.get(1);
      PtNDArray ktv = kv.transpose(0, 1, 3, 2);
      time("scores on views", () -> qv.matMul(ktv));
      time("probs@v view", () -> s.matMul(kv));
      PtNDArray ctx = (PtNDArray) m.randomNormal(new Shape(16, 12, 128, 32));
      time("ctx permute+reshape", () -> ctx.transpose(0, 2, 1, 3).reshape(16, 128, 384));
      time("split", () -> { var l = qkv.split(3, 2); return l.get(0); });
      time("addi", () -> { x.addi(x); return m.zeros(new Shape(1)); });
    }
  }
}
