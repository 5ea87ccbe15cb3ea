package org.doppel.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * scripts/bench-embed: Doppel's embedder vs OnnxRuntime (bge-small-en-v1.5) on at least 500 real
 * texts from /work/shared/corpora, one side per JVM so that each peak RSS is its own.
 *
 * <p>{@code BenchEmbed djl THREADS BATCH DOCS WINDOWS_FILE}: builds the documents, embeds them
 * (tokenise + window + encode + pool; the best of two runs after a warm-up), writes the windows to
 * WINDOWS_FILE, measures an SGEMM peak with a big libtorch matMul on the same threads, prints a
 * RESULT line. {@code BenchEmbed ort THREADS BATCH WINDOWS_FILE}: the same windows and batches
 * through OnnxRuntime (encode + pool), RESULT line. {@code BenchEmbed gpu DOCS} (scripts/bench-embed-gpu):
 * the documents repeated up to DOCS, embedded on the GPU (float16, batches from free memory), RESULT
 * line; exit 2 with one line when PyTorch reports no GPU.
 */
public final class BenchEmbed {

  /**
   * Documents: every text-like file, then further sections of long files; section caps cycle
   * through these lengths (chars) so that lengths vary and the run stays within minutes.
   */
  static final int[] CAPS = {400, 800, 1600, 3200};
  static final int MAX_CHARS = 3200;
  static final int REPEATS = Integer.getInteger("bench.repeats", 1);

  public static void main(String[] args) throws Exception {
    String side = args[0];
    if (side.equals("gpu")) {
      gpu(Integer.parseInt(args[1]));
      return;
    }
    int threads = Integer.parseInt(args[1]);
    int batch = Integer.parseInt(args[2]);
    if (side.equals("djl")) djl(threads, batch, Integer.parseInt(args[3]), Path.of(args[4]));
    else ort(threads, batch, Path.of(args[3]));
  }

  static List<String> documents(int wanted) throws IOException {
    Path root = Corpora.root();
    List<Path> files = new ArrayList<>();
    files.addAll(Corpora.files(root.resolve("clough-stevenson-plagiarism/corpus-20090418"), ".txt"));
    files.addAll(Corpora.files(root.resolve("neardup-small"), ".txt", ".md", ".html", ".xhtml", ".eml", ".rtf", ".csv"));
    files.addAll(Corpora.files(root.resolve("tika-test-documents"), ".txt", ".html", ".htm", ".xhtml", ".eml", ".xml", ".rtf", ".csv", ".md"));
    List<List<String>> sections = new ArrayList<>();
    for (Path p : files) {
      byte[] b = Files.readAllBytes(p);
      boolean binary = false;
      for (int i = 0; i < Math.min(b.length, 8192); i++) binary |= b[i] == 0;
      if (binary) continue;
      String s = Corpora.read(p);
      String n = p.getFileName().toString();
      if (n.endsWith("html") || n.endsWith(".htm") || n.endsWith(".xml")) {
        s = s.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]+>", " ");
      }
      s = s.replaceAll("[ \\t\\x0B\\f\\r]+", " ").strip();
      if (s.length() < 20) continue;
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < s.length(); ) {
        int cap = CAPS[(sections.size() + parts.size()) % CAPS.length];
        int end = Math.min(s.length(), i + cap);
        if (end < s.length()) {
          int ws = s.lastIndexOf(' ', end);
          if (ws > i + cap / 2) end = ws;
        }
        parts.add(s.substring(i, end));
        i = end;
      }
      sections.add(parts);
    }
    List<String> docs = new ArrayList<>();
    for (int round = 0; docs.size() < wanted; round++) {
      boolean any = false;
      for (List<String> parts : sections) {
        if (round < parts.size() && docs.size() < wanted) {
          docs.add(parts.get(round));
          any = true;
        }
      }
      if (!any) break;
      if (round == 0) System.out.printf("documents: %d text-like files", docs.size());
    }
    System.out.printf(" + %d further sections of long files = %d documents (sections cut at %s chars)%n",
        docs.size() - sections.size(), docs.size(), java.util.Arrays.toString(CAPS));
    return docs;
  }

  /** Forward FLOPs of bge-small (12 layers, hidden 384, intermediate 1536) on real tokens. */
  static double flops(List<long[]> windows) {
    double f = 0;
    int layers = 12, h = 384, inter = 1536;
    for (long[] w : windows) {
      double len = w.length;
      f += layers * (len * 2.0 * (4.0 * h * h + 2.0 * h * inter) + 4.0 * len * len * h);
    }
    return f;
  }

  static void djl(int threads, int batch, int wanted, Path windowsFile) throws Exception {
    List<String> docs = documents(wanted);
    EmbedderConfig cfg = EmbedderConfig.defaults().withThreads(threads).withBatchSize(batch).withDevice(ComputeDevice.CPU);
    try (ChunkedEmbedder e = ChunkedEmbedder.load(cfg)) {
      List<long[]> windows = new ArrayList<>();
      for (String t : docs) for (Windower.Window w : e.windows(t)) windows.add(w.ids());
      long tokens = windows.stream().mapToLong(w -> w.length).sum();
      int minC = docs.stream().mapToInt(String::length).min().orElse(0);
      System.out.printf("%d docs (%d..%d chars), %d windows, %d tokens (incl. [CLS]/[SEP]), window %d,"
          + " batch %d, threads %d, pooling %s%n", docs.size(), minC, MAX_CHARS, windows.size(), tokens,
          e.maxTokens(), batch, threads, e.pooling());
      try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(windowsFile)))) {
        out.writeInt(docs.size());
        out.writeUTF(e.pooling().name());
        out.writeInt(windows.size());
        for (long[] w : windows) {
          out.writeInt(w.length);
          for (long id : w) out.writeInt((int) id);
        }
      }
      e.embed(docs.subList(0, 16));
      double best = Double.MAX_VALUE;
      for (int r = 0; r < REPEATS; r++) {
        long t0 = System.nanoTime();
        e.embed(docs);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  doppel run %d: %.2f s%n", r, s);
        best = Math.min(best, s);
      }
      double peak = sgemmPeak();
      double achieved = flops(windows) / best / 1e9;
      System.out.printf("RESULT doppel %.3f %.1f %d %.1f %.1f%n", docs.size() / best, tokens / best,
          LongContextBench.kb("VmHWM") / 1024, achieved, peak);
    }
  }

  static void gpu(int wanted) throws Exception {
    ChunkedEmbedder e;
    try {
      e = ChunkedEmbedder.load(EmbedderConfig.defaults().withDevice(ComputeDevice.GPU));
    } catch (ModelLoadException x) {
      System.err.println("bench-embed-gpu: " + x.getMessage());
      System.exit(2);
      return;
    }
    try (e) {
      List<String> base = documents(wanted);
      List<String> docs = new ArrayList<>(wanted);
      while (docs.size() < wanted) docs.addAll(base.subList(0, Math.min(base.size(), wanted - docs.size())));
      long tokens = 0;
      for (String t : docs) for (Windower.Window w : e.windows(t)) tokens += w.ids().length;
      System.out.printf("%d docs (%d distinct), %d tokens, %s%n", docs.size(), base.size(), tokens, e.runtime());
      e.embed(docs.subList(0, Math.min(512, docs.size()))); // warm-up: cuBLAS handles, caching allocator
      double best = Double.MAX_VALUE;
      for (int r = 0; r < Math.max(2, REPEATS); r++) {
        long t0 = System.nanoTime();
        e.embed(docs);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  gpu run %d: %.2f s%n", r, s);
        best = Math.min(best, s);
      }
      java.lang.management.MemoryUsage mem = ai.djl.util.cuda.CudaUtils.getGpuMemory(Device.gpu(0));
      System.out.printf("RESULT gpu %.3f %.1f %d %d%n", docs.size() / best, tokens / best,
          mem.getCommitted() >> 20, mem.getMax() >> 20);
    }
  }

  /** Best GFLOP/s of a 2048 x 2048 x 2048 float matMul through libtorch (the threads set above). */
  static double sgemmPeak() {
    Engine engine = Engine.getEngine("PyTorch");
    JniUtils.setGradMode(false);
    int n = 2048;
    double best = 0;
    try (NDManager m = engine.newBaseManager(Device.cpu())) {
      NDArray a = m.randomNormal(new Shape(n, n), DataType.FLOAT32);
      NDArray b = m.randomNormal(new Shape(n, n), DataType.FLOAT32);
      for (int r = 0; r < 6; r++) {
        long t0 = System.nanoTime();
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        best = Math.max(best, 2.0 * n * n * n / s / 1e9);
      }
    }
    return best;
  }

  static void ort(int threads, int batch, Path windowsFile) throws Exception {
    List<long[]> windows = new ArrayList<>();
    int docs;
    Pooling pooling;
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(windowsFile)))) {
      docs = in.readInt();
      pooling = Pooling.valueOf(in.readUTF());
      int n = in.readInt();
      for (int i = 0; i < n; i++) {
        long[] w = new long[in.readInt()];
        for (int j = 0; j < w.length; j++) w[j] = in.readInt();
        windows.add(w);
      }
    }
    long tokens = windows.stream().mapToLong(w -> w.length).sum();
    try (OrtReference ort = new OrtReference("bge-small-en-v1.5.onnx", threads)) {
      ort.embedWindows(windows.subList(0, Math.min(16, windows.size())), batch, pooling);
      double best = Double.MAX_VALUE;
      for (int r = 0; r < REPEATS; r++) {
        long t0 = System.nanoTime();
        ort.embedWindows(windows, batch, pooling);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  onnxruntime run %d: %.2f s%n", r, s);
        best = Math.min(best, s);
      }
      System.out.printf("RESULT onnxruntime %.3f %.1f %d %.1f -%n", docs / best, tokens / best,
          LongContextBench.kb("VmHWM") / 1024, flops(windows) / best / 1e9);
    }
  }
}
