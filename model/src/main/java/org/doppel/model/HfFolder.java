package org.doppel.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A Hugging Face model folder: {@code config.json}, {@code tokenizer.json} and {@code
 * model.safetensors} (or shards {@code model-0000X-of-0000N.safetensors} listed in {@code
 * model.safetensors.index.json}); optionally {@code modules.json} / {@code 1_Pooling/config.json}
 * (pooling) and {@code sentence_bert_config.json} ({@code max_seq_length}).
 *
 * <p>Architectures (from {@code model_type}, {@code architectures} and {@code
 * position_embedding_type}): {@code bert} (BERT, bge, MiniLM, e5), {@code roberta} / {@code
 * xlm-roberta} (positions start at {@code pad_token_id + 1}) and JinaBERT ({@code
 * position_embedding_type: "alibi"}: ALiBi attention, no position embeddings, GEGLU feed-forward).
 */
final class HfFolder {

  enum Arch { BERT, ROBERTA, JINABERT }

  final Path dir;
  final Arch arch;
  final String modelType;
  final JsonObject config;
  final Pooling pooling;
  /** max_seq_length of sentence_bert_config.json, or 0. */
  final int maxSeqLength;
  final Integer padTokenId;

  private HfFolder(Path dir, Arch arch, String modelType, JsonObject config, Pooling pooling,
      int maxSeqLength, Integer padTokenId) {
    this.dir = dir;
    this.arch = arch;
    this.modelType = modelType;
    this.config = config;
    this.pooling = pooling;
    this.maxSeqLength = maxSeqLength;
    this.padTokenId = padTokenId;
  }

  /** True when {@code dir} holds safetensors weights (an HF folder rather than an ONNX one). */
  static boolean looksLikeHf(Path dir) {
    if (Files.isRegularFile(dir.resolve("model.safetensors"))
        || Files.isRegularFile(dir.resolve("model.safetensors.index.json"))) {
      return true;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".safetensors"));
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads and checks the folder's JSON files (no weights yet). */
  static HfFolder open(Path dir) {
    List<String> missing = new ArrayList<>();
    Path cfgPath = dir.resolve("config.json");
    if (!Files.isRegularFile(cfgPath)) missing.add("missing " + cfgPath);
    if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) missing.add("missing " + dir.resolve("tokenizer.json"));
    if (!missing.isEmpty()) {
      throw new ModelLoadException(
          "Hugging Face model directory " + dir + " is incomplete: " + String.join("; ", missing)
              + " (needs config.json, tokenizer.json and model.safetensors)");
    }
    JsonObject cfg = readJson(cfgPath);
    String modelType = str(cfg, "model_type");
    List<String> archs = new ArrayList<>();
    if (cfg.has("architectures") && cfg.get("architectures").isJsonArray()) {
      for (JsonElement e : cfg.getAsJsonArray("architectures")) archs.add(e.getAsString());
    }
    String posType = str(cfg, "position_embedding_type");
    boolean jinaName = archs.stream().anyMatch(a -> a.startsWith("JinaBert"));
    Arch arch;
    if ("alibi".equals(posType) || (jinaName && (modelType == null || modelType.equals("bert")))) {
      arch = Arch.JINABERT;
    } else if ("bert".equals(modelType)) {
      arch = Arch.BERT;
    } else if ("roberta".equals(modelType) || "xlm-roberta".equals(modelType)) {
      arch = Arch.ROBERTA;
    } else if (modelType == null && archs.stream().anyMatch(a -> a.startsWith("Bert"))) {
      arch = Arch.BERT;
    } else if (modelType == null && archs.stream().anyMatch(a -> a.startsWith("XLMRoberta") || a.startsWith("Roberta"))) {
      arch = Arch.ROBERTA;
    } else {
      throw new ModelLoadException(
          "unknown architecture in " + cfgPath + ": model_type " + (modelType == null ? "(none)" : "'" + modelType + "'")
              + ", architectures " + archs + "; supported: bert, roberta, xlm-roberta and JinaBERT"
              + " (position_embedding_type \"alibi\")");
    }
    if (arch != Arch.JINABERT && posType != null && !posType.equals("absolute")) {
      throw new ModelLoadException(
          "unsupported position_embedding_type '" + posType + "' in " + cfgPath + " (absolute or alibi)");
    }
    String act = str(cfg, "hidden_act");
    if (act != null && !act.equals("gelu") && !act.equals("gelu_python")) {
      throw new ModelLoadException(
          "unsupported hidden_act '" + act + "' in " + cfgPath + " (only the erf GELU, \"gelu\")");
    }
    if (arch == Arch.JINABERT) {
      String ff = str(cfg, "feed_forward_type");
      if (ff != null && !ff.equals("geglu") && !ff.equals("original")) {
        throw new ModelLoadException(
            "unsupported feed_forward_type '" + ff + "' in " + cfgPath + " (geglu or original)");
      }
    }
    for (String key : new String[] {"hidden_size", "num_attention_heads", "num_hidden_layers"}) {
      if (!cfg.has(key)) throw new ModelLoadException(cfgPath + " has no '" + key + "'");
    }
    Integer pad = cfg.has("pad_token_id") && !cfg.get("pad_token_id").isJsonNull()
        ? cfg.get("pad_token_id").getAsInt() : null;
    if (arch == Arch.ROBERTA && pad == null) pad = 1;

    checkModules(dir);
    checkShards(dir);
    Pooling pooling = readPooling(dir);
    int maxSeq = 0;
    Path sb = dir.resolve("sentence_bert_config.json");
    if (Files.isRegularFile(sb)) {
      JsonElement m = readJson(sb).get("max_seq_length");
      if (m != null && !m.isJsonNull()) maxSeq = m.getAsInt();
    }
    return new HfFolder(dir, arch, modelType, cfg, pooling, maxSeq, pad);
  }

  /**
   * sentence-transformers modules Doppel applies: the transformer, pooling and normalisation (every vector is
   * normalised anyway). Any other module (a {@code Dense} projection, a {@code LayerNorm}...) changes the vectors the
   * model was trained to give, so such a folder is refused rather than embedded wrongly.
   */
  static void checkModules(Path dir) {
    Path modules = dir.resolve("modules.json");
    if (!Files.isRegularFile(modules)) return;
    JsonElement m;
    try {
      m = JsonParser.parseString(Files.readString(modules, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot read " + modules + ": " + e.getMessage(), e);
    }
    if (!m.isJsonArray()) throw new ModelLoadException(modules + " is not a JSON array of modules");
    for (JsonElement e : m.getAsJsonArray()) {
      String type = e.isJsonObject() ? str(e.getAsJsonObject(), "type") : null;
      if (type == null) throw new ModelLoadException(modules + " lists a module without a type");
      String simple = type.substring(type.lastIndexOf('.') + 1);
      if (!List.of("Transformer", "Pooling", "Normalize").contains(simple)) {
        throw new ModelLoadException("unsupported sentence-transformers module " + type + " in " + modules
            + " (Doppel applies Transformer, Pooling and Normalize only; this module would change the vectors)");
      }
    }
  }

  /** Every shard the index names is there (the weights themselves are read at load). */
  private static void checkShards(Path dir) {
    Path index = dir.resolve("model.safetensors.index.json");
    if (!Files.isRegularFile(index)) return;
    JsonObject idx = readJson(index);
    if (!idx.has("weight_map") || !idx.get("weight_map").isJsonObject()) {
      throw new ModelLoadException(index + " has no 'weight_map'");
    }
    for (Map.Entry<String, JsonElement> e : idx.getAsJsonObject("weight_map").entrySet()) {
      Path f = dir.resolve(e.getValue().getAsString());
      if (!Files.isRegularFile(f)) {
        throw new ModelLoadException("missing weight shard " + f + " (named in " + index + " for tensor '" + e.getKey() + "')");
      }
    }
  }

  private static Pooling readPooling(Path dir) {
    Path poolCfg = null;
    Path modules = dir.resolve("modules.json");
    if (Files.isRegularFile(modules)) {
      JsonElement m;
      try {
        m = JsonParser.parseString(Files.readString(modules, StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        throw new ModelLoadException("cannot read " + modules + ": " + e.getMessage(), e);
      }
      if (m.isJsonArray()) {
        for (JsonElement e : m.getAsJsonArray()) {
          JsonObject o = e.getAsJsonObject();
          String type = str(o, "type");
          if (type != null && type.endsWith("Pooling") && o.has("path")) {
            poolCfg = dir.resolve(o.get("path").getAsString()).resolve("config.json");
          }
        }
      }
    }
    if (poolCfg == null) poolCfg = dir.resolve("1_Pooling").resolve("config.json");
    if (!Files.isRegularFile(poolCfg)) return Pooling.MEAN;
    JsonObject p = readJson(poolCfg);
    if (bool(p, "pooling_mode_cls_token")) return Pooling.CLS;
    if (bool(p, "pooling_mode_mean_tokens")) return Pooling.MEAN;
    for (String other : new String[] {"pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
        "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"}) {
      if (bool(p, other)) {
        throw new ModelLoadException(
            "unsupported pooling in " + poolCfg + ": " + other + " (CLS or mean tokens only)");
      }
    }
    return Pooling.MEAN;
  }

  /** Reads the weights (all shards) into an encoder spec. */
  BertEncoder.Spec spec() {
    Map<String, OnnxWeights.Tensor> raw = new LinkedHashMap<>();
    Map<String, String> rawFiles = new HashMap<>();
    Path index = dir.resolve("model.safetensors.index.json");
    Path single = dir.resolve("model.safetensors");
    String source;
    if (Files.isRegularFile(index)) {
      source = index.toString();
      JsonObject idx = readJson(index);
      if (!idx.has("weight_map") || !idx.get("weight_map").isJsonObject()) {
        throw new ModelLoadException(index + " has no 'weight_map'");
      }
      Map<String, String> firstTensor = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : idx.getAsJsonObject("weight_map").entrySet()) {
        firstTensor.putIfAbsent(e.getValue().getAsString(), e.getKey());
      }
      for (Map.Entry<String, String> shard : firstTensor.entrySet()) {
        Path f = dir.resolve(shard.getKey());
        if (!Files.isRegularFile(f)) {
          throw new ModelLoadException(
              "missing weight shard " + f + " (named in " + index + " for tensor '" + shard.getValue() + "')");
        }
        Map<String, OnnxWeights.Tensor> part = Safetensors.read(f);
        raw.putAll(part);
        for (String n : part.keySet()) rawFiles.put(n, f.toString());
      }
    } else if (Files.isRegularFile(single)) {
      source = single.toString();
      raw.putAll(Safetensors.read(single));
      for (String n : raw.keySet()) rawFiles.put(n, single.toString());
    } else {
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
      } catch (IOException e) {
        throw new ModelLoadException("cannot list " + dir + ": " + e.getMessage(), e);
      }
      if (files.size() != 1) {
        throw new ModelLoadException(
            "missing " + single + " (or model.safetensors.index.json for shards) in " + dir
                + (files.isEmpty() ? "" : "; found " + files));
      }
      source = files.get(0).toString();
      raw.putAll(Safetensors.read(files.get(0)));
      for (String n : raw.keySet()) rawFiles.put(n, source);
    }

    // Strip the checkpoint's prefix ("bert.", "roberta.", "model.", ...).
    String key = "embeddings.word_embeddings.weight";
    String prefix = null;
    for (String n : raw.keySet()) {
      if (n.endsWith(key) && (prefix == null || n.length() - key.length() < prefix.length())) {
        prefix = n.substring(0, n.length() - key.length());
      }
    }
    if (prefix == null) {
      throw new ModelLoadException(
          source + " has no tensor '" + key + "' (not a BERT-family checkpoint? tensors: "
              + new TreeSet<>(raw.keySet()).stream().limit(8).toList() + "...)");
    }
    Map<String, OnnxWeights.Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> files = new HashMap<>();
    for (Map.Entry<String, OnnxWeights.Tensor> e : raw.entrySet()) {
      if (!e.getKey().startsWith(prefix)) continue;
      String n = e.getKey().substring(prefix.length());
      tensors.put(n, e.getValue());
      files.put(n, rawFiles.get(e.getKey()));
    }
    // Older checkpoints name LayerNorm parameters gamma/beta.
    for (String n : List.copyOf(tensors.keySet())) {
      if (n.endsWith(".gamma") || n.endsWith(".beta")) {
        String m = n.endsWith(".gamma") ? n.substring(0, n.length() - 6) + ".weight" : n.substring(0, n.length() - 5) + ".bias";
        tensors.putIfAbsent(m, tensors.get(n));
        files.putIfAbsent(m, files.get(n));
      }
    }
    int offset = arch == Arch.ROBERTA ? padTokenId + 1 : 0;
    return new BertEncoder.Spec(
        source, tensors, files, false,
        config.get("num_attention_heads").getAsInt(),
        config.has("layer_norm_eps") ? config.get("layer_norm_eps").getAsFloat() : 1e-12f,
        arch == Arch.JINABERT,
        arch == Arch.JINABERT && !"original".equals(str(config, "feed_forward_type")),
        offset,
        config.get("hidden_size").getAsInt(),
        config.get("num_hidden_layers").getAsInt(),
        config.has("intermediate_size") ? config.get("intermediate_size").getAsInt() : null,
        config.has("max_position_embeddings") ? config.get("max_position_embeddings").getAsInt() : null);
  }

  private static String str(JsonObject o, String k) {
    JsonElement e = o.get(k);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }

  private static boolean bool(JsonObject o, String k) {
    JsonElement e = o.get(k);
    return e != null && !e.isJsonNull() && e.getAsBoolean();
  }

  static JsonObject readJson(Path p) {
    try {
      return JsonParser.parseString(Files.readString(p, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
