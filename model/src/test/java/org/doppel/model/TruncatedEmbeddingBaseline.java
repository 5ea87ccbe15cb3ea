package org.doppel.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * scripts/eval-quality's "obvious Java alternative": one in-process OnnxRuntime embedding per document with
 * the bge-small-en-v1.5 ONNX file Doppel ships, the text truncated to the model window (first 510 tokens
 * plus [CLS]/[SEP], as a tokenizer with truncation to 512 does), CLS pooling, L2-normalised; exact cosine
 * over all pairs. Empty texts get no vector and pair with nothing (an empty input would otherwise embed
 * to the same vector as every other empty input).
 *
 * <pre>TruncatedEmbeddingBaseline TEXTS.json OUT.tsv MIN_COSINE THREADS BATCH</pre>
 *
 * TEXTS.json is ExtractedTexts' array of {path, status, text}; OUT.tsv gets {@code path_a path_b score exact}
 * for every pair with cosine >= MIN_COSINE. Prints one RESULT line: docs, tokens, embed seconds, pair seconds,
 * peak RSS MB.
 */
public final class TruncatedEmbeddingBaseline {
  static final int WINDOW = 512;

  private TruncatedEmbeddingBaseline() {}

  public static void main(String[] args) throws Exception {
    JsonArray docs = JsonParser.parseString(Files.readString(Path.of(args[0]))).getAsJsonArray();
    Path out = Path.of(args[1]);
    double minCosine = Double.parseDouble(args[2]);
    int threads = Integer.parseInt(args[3]), batch = Integer.parseInt(args[4]);
    List<String> paths = new ArrayList<>();
    List<long[]> windows = new ArrayList<>();
    long t0 = System.nanoTime();
    HuggingFaceTokenizer tok;
    try (InputStream in = TruncatedEmbeddingBaseline.class.getClassLoader().getResourceAsStream("bge-small-en-v1.5-tokenizer.json")) {
      tok = HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    }
    long[] special = tok.encode("a", true, false).getIds();
    long cls = special[0], sep = special[special.length - 1];
    long tokens = 0;
    for (JsonElement e : docs) {
      JsonObject d = e.getAsJsonObject();
      String text = d.get("text").getAsString();
      if (text.isBlank()) continue;
      long[] ids = tok.encode(text, false, false).getIds();
      int n = Math.min(ids.length, WINDOW - 2);
      long[] w = new long[n + 2];
      w[0] = cls;
      System.arraycopy(ids, 0, w, 1, n);
      w[n + 1] = sep;
      paths.add(d.get("path").getAsString());
      windows.add(w);
      tokens += w.length;
    }
    tok.close();
    float[][] vectors;
    try (OrtReference ort = new OrtReference("bge-small-en-v1.5.onnx", threads)) {
      vectors = ort.embedWindows(windows, batch, Pooling.CLS);
    }
    double embedSeconds = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    int pairs = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out)) {
      w.write("path_a\tpath_b\tscore\texact\n");
      for (int i = 0; i < vectors.length; i++) {
        for (int j = i + 1; j < vectors.length; j++) {
          double c = dot(vectors[i], vectors[j]);
          if (c >= minCosine) {
            w.write(paths.get(i) + "\t" + paths.get(j) + "\t" + String.format(Locale.ROOT, "%.6f", c) + "\t0\n");
            pairs++;
          }
        }
      }
    }
    double pairSeconds = (System.nanoTime() - t1) / 1e9;
    System.out.printf(Locale.ROOT, "%d of %d documents embedded (%d empty skipped), %d tokens, %d pairs >= %.2f%n",
        vectors.length, docs.size(), docs.size() - vectors.length, tokens, pairs, minCosine);
    System.out.printf(Locale.ROOT, "RESULT %d %d %.2f %.2f %d%n", vectors.length, tokens, embedSeconds, pairSeconds,
        LongContextBench.kb("VmHWM") / 1024);
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }
}
