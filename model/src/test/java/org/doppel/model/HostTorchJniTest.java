package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.LibUtils;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNI that {@code scripts/build-torch-jni} compiles against a host libtorch gives the stock build's vectors:
 * this JVM runs on the host libtorch (the environment the script prints), a child JVM on the stock
 * pytorch-native-cpu 2.7.1 with DJL's own JNI, both embed the same real text windows (sample-docs' text files and
 * the golden texts: accents, CJK, emoji). Runs under {@code scripts/test-torch-jni}; skipped without
 * {@code DOPPEL_TORCH_JNI}.
 */
class HostTorchJniTest {

  /** Skips the test unless it runs on the JNI scripts/test-torch-jni builds. */
  private static void requireHostJni() {
    assumeTrue(System.getenv("DOPPEL_TORCH_JNI") != null,
        "DOPPEL_TORCH_JNI not set: run scripts/test-torch-jni (builds the JNI against a host libtorch)");
    ChunkedEmbedder.defaultOfflineProperties();
  }

  /** How closely two sets of vectors agree, row by row. */
  private record Agreement(int rows, double maxAbs, double minCos) {
    static Agreement of(float[][] a, float[][] b) {
      assertEquals(a.length, b.length, "same rows");
      double maxAbs = 0;
      double minCos = 1;
      for (int i = 0; i < a.length; i++) {
        maxAbs = Math.max(maxAbs, OrtReference.maxAbsDiff(a[i], b[i]));
        minCos = Math.min(minCos, OrtReference.cosine(a[i], b[i]));
      }
      return new Agreement(a.length, maxAbs, minCos);
    }
  }

  @Test
  void hostLibtorchGivesTheStockBuildsVectors(@TempDir Path tmp) throws Exception {
    requireHostJni();
    Engine engine = Engine.getEngine("PyTorch");
    assertEquals(System.getenv("PYTORCH_VERSION"), engine.getVersion(), "DJL runs the host libtorch");
    assertTrue(Path.of(LibUtils.getLibtorchPath()).equals(Path.of(System.getenv("PYTORCH_LIBRARY_PATH"))),
        LibUtils.getLibtorchPath());
    assertTrue(Files.exists(Path.of(System.getenv("ENGINE_CACHE_DIR"), "pytorch")), "the built JNI's cache folder");

    float[][] host = windows(texts());
    Path stockOut = tmp.resolve("stock.bin");
    runStock(stockOut, tmp);
    Agreement g = Agreement.of(host, read(stockOut));
    System.out.printf("host torch %s (%s) vs stock 2.7.1: %d windows, max abs diff %.3g, min cosine %.9f%n",
        engine.getVersion(), System.getenv("PYTORCH_FLAVOR"), g.rows(), g.maxAbs(), g.minCos());
    assertTrue(host.length >= 30, "enough windows: " + host.length);
    assertTrue(g.maxAbs() < 1e-4, "max abs diff " + g.maxAbs());
    assertTrue(g.minCos() > 0.99999, "min cosine " + g.minCos());
  }

  /**
   * The host JNI carries Doppel's fused attention ({@link TorchOps}, {@code doppel_ops.cc}); the embedder uses it
   * there, and it gives DJL's matmul/softmax/matmul vectors: bge-small on real text (padded batches), tiny JinaBERT
   * (ALiBi bias plus padding, whole rows and 40-row query blocks), float32 and float16. (HfFolderTest, GoldenTest
   * and HalfPrecisionTest check the fused path against their references when they run under this script.)
   */
  @Test
  void fusedAttentionGivesTheMatmulPathsVectors() throws Exception {
    requireHostJni();
    Engine.getEngine("PyTorch");
    assertTrue(TorchOps.available(), "the host-built JNI exports TorchOps' functions");
    List<String> texts = texts();
    EmbedderConfig bge = EmbedderConfig.defaults().withWindow(128, 16).withBatchSize(8);
    Function<ChunkedEmbedder, float[][]> chunks = e -> chunkVectors(e, texts);
    agree("bge-small float32", () -> ChunkedEmbedder.load(bge), chunks, 1e-5, 0.9999999);
    agree("bge-small float16", () -> ChunkedEmbedder.load(bge, Device.cpu(), DataType.FLOAT16), chunks, 2e-3, 0.9999);

    EmbedderConfig jina = EmbedderConfig.defaults().withModel(HfFolderTest.tinyModel("jinabert").toString()).withBatchSize(8);
    List<long[]> ids = HfFolderTest.reference("jinabert").stream().map(HfFolderTest.Seq::ids).toList();
    Function<ChunkedEmbedder, float[][]> pooled = e -> e.embedWindows(ids);
    agree("jinabert float32", () -> ChunkedEmbedder.load(jina), pooled, 1e-5, 0.9999999);
    long saved = BertEncoder.scoreBlockFloats;
    BertEncoder.scoreBlockFloats = 4L * 700 * 40; // the 700-token window in 40-row query blocks
    try {
      agree("jinabert float32, query blocks", () -> ChunkedEmbedder.load(jina), pooled, 1e-5, 0.9999999);
      agree("jinabert float16, query blocks", () -> ChunkedEmbedder.load(jina, Device.cpu(), DataType.FLOAT16),
          pooled, 2e-3, 0.9999);
    } finally {
      BertEncoder.scoreBlockFloats = saved;
    }
  }

  /**
   * bfloat16 (a lever for GPUs): the host JNI maps DJL's BFLOAT16 to torch's (the stock JNI aborts the JVM on it),
   * so the encoder runs in it; its window vectors against float32 on real text.
   */
  @Test
  void bfloat16RunsOnTheHostJni() throws Exception {
    requireHostJni();
    List<String> texts = texts();
    EmbedderConfig bge = EmbedderConfig.defaults().withWindow(128, 16).withBatchSize(8);
    float[][] f32;
    float[][] bf16;
    try (ChunkedEmbedder e = ChunkedEmbedder.load(bge, Device.cpu(), DataType.FLOAT32)) {
      f32 = chunkVectors(e, texts);
    }
    try (ChunkedEmbedder e = ChunkedEmbedder.load(bge, Device.cpu(), DataType.BFLOAT16)) {
      assertEquals("bfloat16", e.runtime().dtype());
      bf16 = chunkVectors(e, texts);
    }
    Agreement g = Agreement.of(f32, bf16);
    System.out.printf("bge-small bfloat16 vs float32 on the CPU: %d windows, min cosine %.6f, max abs diff %.3g%n",
        g.rows(), g.minCos(), g.maxAbs());
    assertTrue(g.minCos() > 0.99, "bfloat16 min cosine " + g.minCos());
  }

  /** The same vectors from the matmul path (-Ddoppel.sdpa=false) and the fused one. */
  private static void agree(String what, Callable<ChunkedEmbedder> load, Function<ChunkedEmbedder, float[][]> run,
      double maxAbsAllowed, double minCosAllowed) throws Exception {
    float[][][] out = new float[2][][];
    for (int f = 0; f < 2; f++) {
      System.setProperty("doppel.sdpa", String.valueOf(f == 1));
      try (ChunkedEmbedder e = load.call()) {
        assertEquals(f == 1 ? "sdpa" : "matmul", e.runtime().attention(), what);
        out[f] = run.apply(e);
      } finally {
        System.clearProperty("doppel.sdpa");
      }
    }
    Agreement g = Agreement.of(out[0], out[1]);
    System.out.printf("%s: sdpa vs matmul, %d vectors, max abs diff %.3g, min cosine %.9f%n",
        what, g.rows(), g.maxAbs(), g.minCos());
    assertTrue(g.maxAbs() < maxAbsAllowed, what + ": max abs diff " + g.maxAbs());
    assertTrue(g.minCos() > minCosAllowed, what + ": min cosine " + g.minCos());
  }

  /** Real text: sample-docs' plain-text files (several windows each at 128 tokens) and the golden texts. */
  static List<String> texts() throws IOException {
    List<String> out = new ArrayList<>(TestTexts.golden());
    Path docs = Path.of(System.getProperty("doppel.repo.root", "."), "sample-docs", "docs");
    try (Stream<Path> s = Files.walk(docs)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".txt") || f.toString().endsWith(".md")).sorted().toList()) {
        out.add(Files.readString(p));
      }
    }
    return out;
  }

  /** Every window's vector, bge-small on the CPU in float32, 128-token windows so each file gives several. */
  static float[][] windows(List<String> texts) {
    try (ChunkedEmbedder e = ChunkedEmbedder.load(EmbedderConfig.defaults().withWindow(128, 16))) {
      return chunkVectors(e, texts);
    }
  }

  /** Every window's vector of {@code texts}, in order. */
  static float[][] chunkVectors(ChunkedEmbedder e, List<String> texts) {
    return e.embed(texts).stream().flatMap(d -> d.chunks().stream()).map(Chunk::vector).toArray(float[][]::new);
  }

  /** The same windows in a child JVM on the stock libtorch: no PYTORCH_* variables, the project's DJL cache. */
  private static void runStock(Path out, Path tmp) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx2g", "-Dai.djl.offline=true",
        "-Ddoppel.repo.root=" + System.getProperty("doppel.repo.root", "."),
        "-cp", System.getProperty("java.class.path"), HostTorchJniTest.class.getName(), out.toString());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("PYTORCH_") || k.equals("DOPPEL_TORCH_JNI"));
    String stockCache = Path.of(System.getProperty("doppel.repo.root", "."), "target", "djl-cache").toString();
    env.put("DJL_CACHE_DIR", stockCache);
    env.put("ENGINE_CACHE_DIR", stockCache);
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("stock.log").toFile());
    int rc = pb.start().waitFor();
    assertEquals(0, rc, "stock JVM failed: " + Files.readString(tmp.resolve("stock.log")));
  }

  /** Child JVM: writes the windows' vectors on the stock libtorch. */
  public static void main(String[] args) throws Exception {
    ChunkedEmbedder.defaultOfflineProperties();
    String version = Engine.getEngine("PyTorch").getVersion();
    if (!version.equals("2.7.1")) throw new IllegalStateException("stock JVM runs PyTorch " + version);
    float[][] v = windows(texts());
    try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(Path.of(args[0])))) {
      o.writeInt(v.length);
      o.writeInt(v[0].length);
      for (float[] row : v) for (float x : row) o.writeFloat(x);
    }
  }

  private static float[][] read(Path p) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(p))) {
      float[][] v = new float[in.readInt()][in.readInt()];
      for (float[] row : v) for (int j = 0; j < row.length; j++) row[j] = in.readFloat();
      return v;
    }
  }
}
