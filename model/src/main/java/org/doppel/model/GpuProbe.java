package org.doppel.model;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.LibUtils;

/** Asks DJL's PyTorch engine whether a CUDA GPU is usable, and if not, why not (in one line). */
public final class GpuProbe {
  private GpuProbe() {}

  /** CUDA GPUs the PyTorch engine reports (0 for a CPU-only libtorch). */
  static int count(Engine engine) {
    return engine.getGpuCount();
  }

  /** Why {@link #count} is 0, naming the libtorch that was loaded and the way to a CUDA build. */
  static String whyNone(Engine engine) {
    return whyNone(engine, null);
  }

  /** As {@link #whyNone(Engine)}, naming the GPU Spark assigned to the task when there is one. */
  static String whyNone(Engine engine, String gpuAddress) {
    String lib = (gpuAddress != null ? "Spark assigned GPU " + gpuAddress + " but " : "") + "PyTorch " + engine.getVersion();
    if (!engine.hasCapability(StandardCapabilities.CUDA)) {
      return lib + " is a CPU-only build (" + LibUtils.getLibtorchPath() + "): run scripts/build-torch-jni --torch"
          + " <a CUDA torch> and use the environment it prints, or build with -Pcuda (model/README.md, GPU)";
    }
    return lib + " has CUDA but sees no GPU (driver, CUDA_VISIBLE_DEVICES, or libcudart not on the library path)";
  }

  /**
   * For a command line check before any work starts: null when {@code device} can be used here,
   * else one line saying why not. Starts the PyTorch engine (offline) when a GPU is asked for.
   */
  public static String problem(ComputeDevice device) {
    if (device != ComputeDevice.GPU) return null;
    ChunkedEmbedder.defaultOfflineProperties();
    Engine engine;
    try {
      engine = Engine.getEngine("PyTorch");
    } catch (RuntimeException e) {
      return "GPU requested but the DJL PyTorch engine does not start: " + e.getMessage();
    }
    return count(engine) > 0 ? null : "GPU requested but " + whyNone(engine);
  }
}
