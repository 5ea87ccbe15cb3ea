package org.doppel.model;

import ai.djl.Device;
import java.util.Locale;

/** Where the encoder runs: {@code auto} = the first CUDA GPU when PyTorch reports one, else the CPU. */
public enum ComputeDevice {
  AUTO, CPU, GPU;

  /** {@code auto}, {@code cpu} or {@code gpu} (any case). */
  public static ComputeDevice fromLabel(String label) {
    if (label != null) {
      for (ComputeDevice d : values()) {
        if (d.label().equals(label.trim().toLowerCase(Locale.ROOT))) return d;
      }
    }
    throw new IllegalArgumentException("device must be auto, cpu or gpu, got " + label);
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The device to use given the number of CUDA GPUs the engine reports.
   *
   * @param whyNone why no GPU is usable, for the error when {@code gpu} was asked for and there is none
   * @throws ModelLoadException when {@code gpu} was asked for and {@code gpus == 0}
   */
  Device resolve(int gpus, String whyNone) {
    return switch (this) {
      case CPU -> Device.cpu();
      case AUTO -> gpus > 0 ? Device.gpu(0) : Device.cpu();
      case GPU -> {
        if (gpus > 0) yield Device.gpu(0);
        throw new ModelLoadException("GPU requested but " + whyNone);
      }
    };
  }
}
