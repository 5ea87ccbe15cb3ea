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
    return resolve(gpus, whyNone, null, null);
  }

  /**
   * The device given the GPU count and the GPU address Spark assigned to the task ({@code
   * TaskContext.resources().get("gpu")}, an nvidia-smi index as {@code scripts/gpu-discovery} reports it; null
   * when none was assigned: then GPU 0). When {@code CUDA_VISIBLE_DEVICES} lists that index, the CUDA
   * ordinal is its position in the list (the process sees only those GPUs, renumbered from 0).
   *
   * @param visible the value of {@code CUDA_VISIBLE_DEVICES} (null when unset)
   * @throws ModelLoadException when {@code gpu} was asked for and the assigned GPU (or any) is not usable
   */
  Device resolve(int gpus, String whyNone, String address, String visible) {
    int ordinal = cudaOrdinal(address, visible);
    boolean usable = gpus > ordinal;
    return switch (this) {
      case CPU -> Device.cpu();
      case AUTO -> usable ? Device.gpu(ordinal) : Device.cpu();
      case GPU -> {
        if (usable) yield Device.gpu(ordinal);
        if (gpus > 0) {
          throw new ModelLoadException("GPU requested but Spark assigned GPU " + address + " (CUDA device " + ordinal
              + ") and PyTorch sees " + gpus + (visible != null ? " (CUDA_VISIBLE_DEVICES=" + visible + ")" : ""));
        }
        throw new ModelLoadException("GPU requested but " + whyNone);
      }
    };
  }

  /** CUDA device ordinal of a Spark GPU address (0 when there is none). */
  static int cudaOrdinal(String address, String visible) {
    if (address == null || address.isBlank()) return 0;
    String a = address.trim();
    if (visible != null && !visible.isBlank()) {
      String[] ids = visible.split(",");
      for (int i = 0; i < ids.length; i++) {
        if (ids[i].trim().equals(a)) return i;
      }
    }
    try {
      return Integer.parseInt(a);
    } catch (NumberFormatException e) {
      throw new ModelLoadException("Spark assigned GPU address '" + address + "': not a GPU index (scripts/gpu-discovery"
          + " reports nvidia-smi indices)");
    }
  }
}
