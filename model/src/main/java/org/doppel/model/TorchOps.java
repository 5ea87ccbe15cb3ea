package org.doppel.model;

import ai.djl.pytorch.engine.PtNDArray;

/**
 * libtorch calls DJL has no op for, compiled into the JNI that {@code scripts/build-torch-jni} builds
 * ({@code native/djl-torch/doppel_ops.cc}): fused scaled-dot-product attention. The stock DJL JNI lacks
 * them; then {@link #available} is false and callers keep to DJL's ops. The native methods resolve against
 * the libraries DJL's class loader has loaded, so the first call must come after the engine is up.
 */
final class TorchOps {

  private static volatile Boolean hasNative;

  private TorchOps() {}

  /**
   * Whether the loaded JNI has these functions, and {@code -Ddoppel.sdpa} (default true) allows them. Call
   * after the PyTorch engine has loaded its JNI.
   */
  static boolean available() {
    Boolean has = hasNative;
    if (has == null) {
      try {
        has = abi() == 1;
      } catch (UnsatisfiedLinkError e) {
        has = false; // the stock JNI
      }
      hasNative = has;
    }
    return has && Boolean.parseBoolean(System.getProperty("doppel.sdpa", "true"));
  }

  /**
   * softmax(q k^T * scale + mask) v for q [B, heads, Lq, hd], k and v [B, heads, L, hd]; mask additive, of q's
   * type, broadcastable to [B, heads, Lq, L], or null. The result is owned by q's manager.
   */
  static PtNDArray sdpa(PtNDArray q, PtNDArray k, PtNDArray v, PtNDArray mask, double scale) {
    long h = sdpa(q.getHandle(), k.getHandle(), v.getHandle(), mask == null ? 0L : mask.getHandle(), scale);
    return new PtNDArray(q.getManager(), h);
  }

  private static native int abi();

  private static native long sdpa(long q, long k, long v, long mask, double scale);
}
