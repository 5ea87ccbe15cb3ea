package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/** --device auto|cpu|gpu: resolution rules, and the real engine's answer on this machine. */
class ComputeDeviceTest {

  @Test
  void resolvesAgainstTheGpuCount() {
    assertEquals(Device.cpu(), ComputeDevice.AUTO.resolve(0, "none"));
    assertEquals(Device.gpu(0), ComputeDevice.AUTO.resolve(2, "none"));
    assertEquals(Device.cpu(), ComputeDevice.CPU.resolve(4, "none"));
    assertEquals(Device.gpu(0), ComputeDevice.GPU.resolve(1, "none"));
    ModelLoadException e = assertThrows(ModelLoadException.class, () -> ComputeDevice.GPU.resolve(0, "no driver"));
    assertEquals("GPU requested but no driver", e.getMessage());
  }

  /** The GPU Spark assigned to the task (an nvidia-smi index), mapped through CUDA_VISIBLE_DEVICES. */
  @Test
  void takesTheGpuSparkAssigned() {
    assertEquals(Device.gpu(3), ComputeDevice.AUTO.resolve(4, "none", "3", null));
    assertEquals(Device.gpu(1), ComputeDevice.GPU.resolve(2, "none", "5", "4,5"), "the second visible GPU");
    assertEquals(Device.gpu(0), ComputeDevice.GPU.resolve(1, "none", null, null));
    assertEquals(Device.cpu(), ComputeDevice.CPU.resolve(4, "none", "2", null));
    // auto: an assigned GPU PyTorch cannot see means the CPU (the runtime says why); gpu: one line
    assertEquals(Device.cpu(), ComputeDevice.AUTO.resolve(0, "no driver", "0", null));
    assertEquals(Device.cpu(), ComputeDevice.AUTO.resolve(2, "none", "2", null));
    assertEquals("GPU requested but Spark assigned GPU 2 (CUDA device 2) and PyTorch sees 2",
        assertThrows(ModelLoadException.class, () -> ComputeDevice.GPU.resolve(2, "none", "2", null)).getMessage());
    assertEquals("GPU requested but no driver",
        assertThrows(ModelLoadException.class, () -> ComputeDevice.GPU.resolve(0, "no driver", "0", null)).getMessage());
    assertThrows(ModelLoadException.class, () -> ComputeDevice.AUTO.resolve(1, "none", "GPU-a1b2", null));
  }

  @Test
  void labels() {
    assertEquals(ComputeDevice.GPU, ComputeDevice.fromLabel("GPU"));
    assertEquals(ComputeDevice.AUTO, ComputeDevice.fromLabel(" auto"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeDevice.fromLabel("cuda"));
    assertEquals("device must be auto, cpu or gpu, got cuda", e.getMessage());
    // The library default stays on the CPU (tests and CPU benchmarks); the command line defaults to auto.
    assertEquals(ComputeDevice.CPU, EmbedderConfig.defaults().device());
    assertEquals(ComputeDevice.CPU, new EmbedderConfig(null, 0, 64, 16, 0, null, null).device());
    assertEquals(ComputeDevice.CPU, new EmbedderConfig(null, 0, 64, 16, 0, null).device());
  }

  /** Whatever this machine has: auto follows the engine's GPU count, gpu without one is one clear line. */
  @Test
  void theEngineDecides() throws Exception {
    ChunkedEmbedder.defaultOfflineProperties();
    Engine engine = Engine.getEngine("PyTorch");
    int gpus = GpuProbe.count(engine);
    EmbedderConfig cfg = EmbedderConfig.defaults().withModel(HfFolderTest.tinyModel("bert").toString()).withBatchSize(8)
        .withDevice(ComputeDevice.AUTO);
    try (ChunkedEmbedder auto = ChunkedEmbedder.load(cfg)) {
      EmbedderRuntime rt = auto.runtime();
      if (gpus == 0) {
        assertEquals(new EmbedderRuntime("cpu", "float32", 8, ChunkedEmbedder.BATCH_TOKENS,
            System.getenv("DOPPEL_TORCH_JNI") != null ? "sdpa" : "matmul"), rt);
      } else {
        assertEquals("gpu:0", rt.device());
        assertEquals("float16", rt.dtype());
      }
      assertTrue(auto.embed(java.util.List.of("The dog drew a cat.")).get(0).vector().length == 32);
      // Fused attention needs the JNI scripts/build-torch-jni builds; DJL's stock JNI falls back to matmul.
      assertEquals(System.getenv("DOPPEL_TORCH_JNI") != null ? "sdpa" : "matmul", auto.runtime().attention());
    }
    if (gpus == 0) {
      ModelLoadException e = assertThrows(ModelLoadException.class,
          () -> ChunkedEmbedder.load(cfg.withDevice(ComputeDevice.GPU)));
      String msg = e.getMessage();
      assertTrue(msg.startsWith("GPU requested but PyTorch " + engine.getVersion()), msg);
      assertTrue(msg.contains(engine.hasCapability("CUDA") ? "sees no GPU" : "CPU-only build"), msg);
      assertFalse(msg.contains("\n"), "one line");
      assertEquals(msg, GpuProbe.problem(ComputeDevice.GPU), "the command line check says the same");
    } else {
      assertNull(GpuProbe.problem(ComputeDevice.GPU));
    }
    if (gpus == 0) {
      // a Spark task that was assigned GPU 0 on a host whose PyTorch sees none: auto embeds on the CPU and says why
      try (ChunkedEmbedder assigned = ChunkedEmbedder.load(cfg, "0", false)) {
        String why = assigned.runtime().cpuFallback();
        assertTrue(why != null && why.startsWith("Spark assigned GPU 0 but PyTorch " + engine.getVersion()), why);
        assertTrue(assigned.runtime().toString().contains(EmbedderRuntime.FALLBACK + why));
      }
      try (ChunkedEmbedder quiet = ChunkedEmbedder.load(cfg, null, false)) {
        assertEquals(engine.hasCapability("CUDA"), quiet.runtime().cpuFallback() != null,
            "a CPU libtorch with no GPU expected: no fallback note");
      }
    }
    assertNull(GpuProbe.problem(ComputeDevice.AUTO));
    assertNull(GpuProbe.problem(ComputeDevice.CPU));
  }
}
