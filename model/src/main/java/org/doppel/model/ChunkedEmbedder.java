package org.doppel.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Text to vectors: tokenises each whole text once, cuts it into overlapping windows (never
 * truncating), runs the windows of all texts through a BERT encoder in length-sorted batches, pools
 * and L2-normalises each window, and averages the window vectors (weighted by content tokens) into
 * one L2-normalised document vector.
 *
 * <p>Thread-safe: concurrent {@link #embed} calls share the weights and the torch intra-op pool. On
 * a GPU their forward passes take turns (each pass is sized to the free GPU memory); tokenising and
 * windowing still run in parallel.
 */
public final class ChunkedEmbedder implements AutoCloseable {

  /** Padded tokens per forward pass at most (unless one window is longer). */
  static final int BATCH_TOKENS = Integer.getInteger("doppel.batchTokens", 4096);

  private final String modelName;
  private final NDManager manager;
  private final BertEncoder encoder;
  private final HuggingFaceTokenizer tokenizer;
  private final Windower windower;
  private final Pooling pooling;
  private final int batchSize;
  private final int batchTokens;
  private final int maxTokens;
  private final long padId;
  private final EmbedderRuntime runtime;
  /** Held around each forward pass on a GPU (null on the CPU: there passes share the thread pool). */
  private final ReentrantLock deviceLock;

  private ChunkedEmbedder(
      String modelName, NDManager manager, BertEncoder encoder, HuggingFaceTokenizer tokenizer,
      Windower windower, Pooling pooling, int batchSize, int batchTokens, int maxTokens, long padId,
      String cpuFallback) {
    this.modelName = modelName;
    this.manager = manager;
    this.encoder = encoder;
    this.tokenizer = tokenizer;
    this.windower = windower;
    this.pooling = pooling;
    this.batchSize = batchSize;
    this.batchTokens = batchTokens;
    this.maxTokens = maxTokens;
    this.padId = padId;
    Device device = manager.getDevice();
    this.runtime = new EmbedderRuntime(device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu",
        encoder.dtype.name().toLowerCase(Locale.ROOT), batchSize, batchTokens, device.isGpu() ? null : cpuFallback,
        encoder.attention());
    this.deviceLock = device.isGpu() ? new ReentrantLock(true) : null;
  }

  /**
   * Loads a model on the device {@link EmbedderConfig#device} resolves to: the CPU in float32, or
   * a GPU in float16 with batches sized from its free memory. Throws {@link ModelLoadException}
   * naming the file or tensor at fault, or saying why no GPU can be used when one was required.
   */
  /**
   * Why the model option cannot be loaded, in one line, found from the folder's files without reading the weights
   * (missing files, unknown architecture, unsupported pooling or sentence-transformers modules); null when it looks
   * loadable. For a command line to refuse a bad model before any work starts.
   */
  public static String modelProblem(String model) {
    try {
      ModelSource.resolve(model);
      return null;
    } catch (ModelLoadException e) {
      return e.getMessage();
    }
  }

  public static ChunkedEmbedder load(EmbedderConfig config) {
    return load(config, null, false);
  }

  /**
   * Loads a model for a Spark task: on the GPU Spark assigned to it ({@code gpuAddress}, from {@code
   * TaskContext.resources()}; null when none), else as {@link #load(EmbedderConfig)}. When {@code auto} ends on
   * the CPU although a GPU was assigned, or {@code gpuExpected}, or libtorch has CUDA, {@link #runtime()} says why
   * ({@link EmbedderRuntime#cpuFallback}).
   */
  public static ChunkedEmbedder load(EmbedderConfig config, String gpuAddress, boolean gpuExpected) {
    if (config == null) config = EmbedderConfig.defaults();
    defaultOfflineProperties();
    Engine engine = pytorch();
    int gpus = GpuProbe.count(engine);
    String why = GpuProbe.whyNone(engine, gpuAddress);
    Device device = config.device().resolve(gpus, why, gpuAddress, System.getenv("CUDA_VISIBLE_DEVICES"));
    boolean expected = gpuAddress != null || gpuExpected || engine.hasCapability(StandardCapabilities.CUDA);
    String fallback = config.device() == ComputeDevice.AUTO && expected ? why : null;
    return load(config, device, device.isGpu() ? DataType.FLOAT16 : DataType.FLOAT32, fallback);
  }

  private static Engine pytorch() {
    try {
      return Engine.getEngine("PyTorch");
    } catch (RuntimeException e) {
      throw new ModelLoadException(
          "cannot start the DJL PyTorch engine (is pytorch-native-cpu on the classpath, and"
              + " ai.djl.offline=true / ENGINE_CACHE_DIR set?): " + e.getMessage(), e);
    }
  }

  /** Loads a model on a given device in a given compute type (tests run float16 on the CPU). */
  static ChunkedEmbedder load(EmbedderConfig config, Device device, DataType dtype) {
    return load(config, device, dtype, null);
  }

  private static ChunkedEmbedder load(EmbedderConfig config, Device device, DataType dtype, String cpuFallback) {
    ModelSource src = ModelSource.resolve(config.model());
    defaultOfflineProperties();

    HuggingFaceTokenizer tok;
    try (InputStream in = src.openTokenizer()) {
      // Whole-text tokenisation: no special tokens, no truncation, no padding, whatever the
      // tokenizer.json says (the MiniLM one asks for truncation and padding to 128).
      tok = HuggingFaceTokenizer.newInstance(
          in, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot load tokenizer " + src.tokenizerLabel + ": " + e.getMessage(), e);
    }
    long clsId;
    long sepId;
    long padId = 0;
    try {
      long[] special = tok.encode("a", true, false).getIds();
      if (special.length < 3) {
        throw new ModelLoadException(
            "tokenizer " + src.tokenizerLabel + " adds no [CLS]/[SEP] (not a BERT tokenizer?)");
      }
      clsId = special[0];
      sepId = special[special.length - 1];
      long[] pad = tok.encode("[PAD]", false, false).getIds();
      if (pad.length == 1) padId = pad[0];
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }

    Engine engine;
    try {
      engine = pytorch();
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
    if (config.threads() > 0) JniUtils.setNumThreads(config.threads());
    if (!device.isGpu()) mklHint();
    NDManager manager = engine.newBaseManager(device);
    BertEncoder encoder;
    if (src.hf != null) {
      try {
        encoder = new BertEncoder(src.hf.spec(), manager, dtype);
      } catch (RuntimeException e) {
        manager.close();
        tok.close();
        if (e instanceof ModelLoadException m) throw m;
        throw new ModelLoadException("cannot load model " + src.hf.dir + ": " + e.getMessage(), e);
      }
      if (src.hf.padTokenId != null) padId = src.hf.padTokenId;
    } else try (InputStream in = src.openOnnx()) {
      OnnxWeights w = OnnxWeights.read(in, src.onnxLabel);
      encoder = new BertEncoder(w, src.heads, src.layerNormEps, manager, dtype);
    } catch (IOException | RuntimeException e) {
      manager.close();
      tok.close();
      if (e instanceof ModelLoadException m) throw m;
      throw new ModelLoadException("cannot load ONNX model " + src.onnxLabel + ": " + e.getMessage(), e);
    }
    int modelMax = encoder.config.maxPositions();
    if (src.trainedMaxTokens > 0) modelMax = Math.min(modelMax, src.trainedMaxTokens);
    int window = config.windowTokens() == 0 ? modelMax : config.windowTokens();
    if (window > encoder.config.maxPositions()) {
      manager.close();
      tok.close();
      throw new ModelLoadException(
          "windowTokens " + window + " exceeds the model's " + encoder.config.maxPositions()
              + " positions");
    }
    int overlap = Math.min(config.overlapTokens(), Math.max(0, window - 3));
    Windower windower = new Windower(window, overlap, clsId, sepId);
    Pooling pooling = config.pooling() != null ? config.pooling() : src.defaultPooling;
    int batch = config.batchSize();
    int tokens = BATCH_TOKENS;
    if (device.isGpu()) {
      JniUtils.emptyCudaCache(); // the float32 copies of the weights were freed into torch's cache
      java.lang.management.MemoryUsage mem = CudaUtils.getGpuMemory(device); // cudaMemGetInfo
      long free = mem.getMax() - mem.getCommitted();
      GpuBatching.Limits limits = GpuBatching.plan(free, encoder.config, window, dtype.getNumOfBytes());
      batch = limits.batchSize();
      tokens = limits.batchTokens();
      encoder.scoreBlockOverride = limits.scoreBlockFloats();
    }
    ChunkedEmbedder e = new ChunkedEmbedder(
        src.name, manager, encoder, tok, windower, pooling, batch, tokens, window, padId, cpuFallback);
    LOG.info("embedder {} on {}", src.name, e.runtime);
    return e;
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChunkedEmbedder.class);

  /** oneMKL in libtorch runs its slow generic GEMM path on AMD CPUs unless the shim is preloaded. */
  private static void mklHint() {
    try {
      String preload = System.getenv("LD_PRELOAD");
      if (preload != null && preload.contains("mklshim")) return;
      java.nio.file.Path cpu = java.nio.file.Path.of("/proc/cpuinfo");
      if (java.nio.file.Files.isReadable(cpu)
          && java.nio.file.Files.readString(cpu).contains("AuthenticAMD")) {
        LOG.info("AMD CPU: preload model/native's libdoppel_mklshim.so (LD_PRELOAD) for ~2x faster"
            + " embedding; see model/README.md");
      }
    } catch (IOException | RuntimeException e) {
      // a hint only
    }
  }

  /** Sets ai.djl.offline=true and opts out of DJL telemetry unless the launcher says otherwise. */
  public static void defaultOfflineProperties() {
    if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
      System.setProperty("OPT_OUT_TRACKING", "true");
    }
  }

  public String modelName() {
    return modelName;
  }

  public int dimension() {
    return encoder.config.hidden();
  }

  /** Tokens per window including [CLS]/[SEP]. */
  public int maxTokens() {
    return maxTokens;
  }

  public Pooling pooling() {
    return pooling;
  }

  public BertConfig bertConfig() {
    return encoder.config;
  }

  /** Device, compute type and batch limits in use. */
  public EmbedderRuntime runtime() {
    return runtime;
  }

  /** Content tokens (no specials) of the whole text. */
  public int countTokens(String text) {
    if (text == null || text.isBlank()) return 0;
    return tokenizer.encode(text, false, false).getIds().length;
  }

  /** A whole text tokenised once, with UTF-16 char offsets. */
  record Tokens(long[] ids, int[] starts, int[] ends) {}

  Tokens tokenize(String text) {
    Encoding e = tokenizer.encode(text, false, false);
    long[] ids = e.getIds();
    CharSpan[] spans = e.getCharTokenSpans();
    int[] starts = new int[ids.length];
    int[] ends = new int[ids.length];
    // The tokenizer reports offsets in Unicode code points; Java strings index UTF-16 units.
    int[] cpToUtf16 = null;
    if (text.codePointCount(0, text.length()) != text.length()) {
      int cps = text.codePointCount(0, text.length());
      cpToUtf16 = new int[cps + 1];
      int u = 0;
      for (int c = 0; c < cps; c++) {
        cpToUtf16[c] = u;
        u += Character.charCount(text.codePointAt(u));
      }
      cpToUtf16[cps] = text.length();
    }
    for (int i = 0; i < ids.length; i++) {
      CharSpan s = spans[i];
      int a = s == null ? (i > 0 ? ends[i - 1] : 0) : s.getStart();
      int b = s == null ? a : s.getEnd();
      if (cpToUtf16 != null && s != null) {
        a = cpToUtf16[Math.min(a, cpToUtf16.length - 1)];
        b = cpToUtf16[Math.min(b, cpToUtf16.length - 1)];
      }
      starts[i] = Math.min(a, text.length());
      ends[i] = Math.min(b, text.length());
    }
    return new Tokens(ids, starts, ends);
  }

  List<Windower.Window> windows(String text) {
    if (text == null || text.isBlank()) return List.of();
    Tokens t = tokenize(text);
    return windower.windows(t.ids(), t.starts(), t.ends(), text.length());
  }

  Windower windower() {
    return windower;
  }

  /** Embeds a list of texts; one result per text, in order. */
  public List<DocumentEmbedding> embed(List<String> texts) {
    List<List<Windower.Window>> perDoc = new ArrayList<>(texts.size());
    List<long[]> all = new ArrayList<>();
    for (String t : texts) {
      List<Windower.Window> ws = windows(t);
      perDoc.add(ws);
      for (Windower.Window w : ws) all.add(w.ids());
    }
    float[][] vectors = embedWindows(all);
    int dim = dimension();
    List<DocumentEmbedding> out = new ArrayList<>(texts.size());
    int k = 0;
    for (List<Windower.Window> ws : perDoc) {
      List<Chunk> chunks = new ArrayList<>(ws.size());
      double[] acc = new double[dim];
      for (Windower.Window w : ws) {
        float[] v = vectors[k++];
        int weight = w.contentTokens();
        for (int j = 0; j < dim; j++) acc[j] += weight * (double) v[j];
        chunks.add(new Chunk(w.index(), w.startChar(), w.endChar(), weight, v));
      }
      float[] doc = new float[dim];
      if (!chunks.isEmpty()) doc = normalize(acc);
      out.add(new DocumentEmbedding(doc, List.copyOf(chunks)));
    }
    return out;
  }

  /**
   * Pooled, L2-normalised vectors of token windows ([CLS] ... [SEP] each), batched in order of
   * decreasing length so that each batch pads little ({@link Batches}): at most batchSize windows
   * and about batchTokens padded tokens per forward pass (on the CPU, big blocks are mmap'd by
   * malloc and page-faulted afresh on every allocation; on a GPU, the limits come from its memory).
   */
  float[][] embedWindows(List<long[]> windows) {
    int n = windows.size();
    float[][] out = new float[n][];
    if (n == 0) return out;
    JniUtils.setGradMode(false); // thread-local in libtorch
    int dim = dimension();
    for (Batches.Batch batch : Batches.plan(windows, batchSize, batchTokens)) {
      int b = batch.size();
      int len = batch.length();
      long[] ids = new long[b * len];
      int[] lengths = new int[b];
      for (int i = 0; i < b; i++) {
        long[] w = windows.get(batch.members()[i]);
        lengths[i] = w.length;
        System.arraycopy(w, 0, ids, i * len, w.length);
        if (w.length < len) Arrays.fill(ids, i * len + w.length, (i + 1) * len, padId);
      }
      float[] pooled;
      if (deviceLock != null) deviceLock.lock();
      try (NDManager m = manager.newSubManager()) {
        PtNDArray hidden = encoder.forward(m, ids, b, len, lengths);
        pooled = pool(m, hidden, b, len, lengths).toFloatArray();
      } finally {
        if (deviceLock != null) deviceLock.unlock();
      }
      for (int i = 0; i < b; i++) {
        float[] v = new float[dim];
        System.arraycopy(pooled, i * dim, v, 0, dim);
        out[batch.members()[i]] = normalizeInPlace(v);
      }
    }
    return out;
  }

  /** Pooled [b, hidden] in float32 (a float16 hidden state is cast before the token sum). */
  private NDArray pool(NDManager m, PtNDArray hidden, int b, int len, int[] lengths) {
    if (pooling == Pooling.CLS) {
      return BertEncoder.to((PtNDArray) hidden.get(new NDIndex(":, 0, :")), DataType.FLOAT32);
    }
    hidden = BertEncoder.to(hidden, DataType.FLOAT32);
    boolean padded = false;
    for (int l : lengths) padded |= l < len;
    if (!padded) {
      return hidden.mean(new int[] {1});
    }
    float[] mk = new float[b * len];
    float[] inv = new float[b];
    for (int i = 0; i < b; i++) {
      Arrays.fill(mk, i * len, i * len + lengths[i], 1f);
      inv[i] = 1f / lengths[i];
    }
    NDArray mask = m.create(mk, new Shape(b, len, 1));
    NDArray sum = hidden.mul(mask).sum(new int[] {1});
    return sum.muli(m.create(inv, new Shape(b, 1)));
  }

  BertEncoder encoderForTests() {
    return encoder;
  }

  /** Last hidden state [tokens][hidden] of one window, unpadded (for tests). */
  float[][] hiddenState(long[] windowIds) {
    JniUtils.setGradMode(false);
    int len = windowIds.length;
    int dim = dimension();
    try (NDManager m = manager.newSubManager()) {
      float[] flat = BertEncoder.to(encoder.forward(m, windowIds, 1, len, new int[] {len}), DataType.FLOAT32)
          .toFloatArray();
      float[][] out = new float[len][dim];
      for (int t = 0; t < len; t++) System.arraycopy(flat, t * dim, out[t], 0, dim);
      return out;
    }
  }

  static float[] normalize(double[] v) {
    double s = 0;
    for (double x : v) s += x * x;
    double inv = s > 0 ? 1.0 / Math.sqrt(s) : 0;
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] * inv);
    return out;
  }

  static float[] normalizeInPlace(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    double inv = s > 0 ? 1.0 / Math.sqrt(s) : 0;
    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] * inv);
    return v;
  }

  @Override
  public void close() {
    manager.close();
    tokenizer.close();
  }
}
