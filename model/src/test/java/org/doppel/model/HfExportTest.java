package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped bge-small ONNX weights exported to an HF safetensors folder load to the same vectors. */
class HfExportTest {

  @Test
  void bgeAsHfFolderMatchesTheDefaultPath(@TempDir Path dir) throws Exception {
    OnnxWeights w;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("bge-small-en-v1.5.onnx")) {
      w = OnnxWeights.read(new java.io.BufferedInputStream(in, 1 << 20), "bge");
    }
    Map<String, OnnxWeights.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, OnnxWeights.Tensor> e : new java.util.TreeMap<>(w.tensors).entrySet()) {
      OnnxWeights.Tensor t = e.getValue();
      boolean linear = t.dims().length == 2 && !e.getKey().startsWith("embeddings.");
      // ONNX stores linear weights [in, out]; PyTorch checkpoints [out, in]. Prefix as in BertModel
      // checkpoints saved from a task head ("bert.").
      out.put("bert." + e.getKey(), linear ? SafetensorsWriter.transpose(t) : t);
    }
    SafetensorsWriter.write(dir.resolve("model.safetensors"), out);
    BadModelTest.copyResource("bge-small-en-v1.5-tokenizer.json", dir.resolve("tokenizer.json"));
    Files.writeString(dir.resolve("config.json"), """
        {"architectures": ["BertModel"], "model_type": "bert", "hidden_size": 384, "num_attention_heads": 12,
         "num_hidden_layers": 12, "intermediate_size": 1536, "max_position_embeddings": 512,
         "vocab_size": 30522, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
         "pad_token_id": 0, "position_embedding_type": "absolute"}
        """);
    Files.createDirectories(dir.resolve("1_Pooling"));
    Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");
    Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 512, \"do_lower_case\": true}");

    List<String> all = TestTexts.golden();
    List<String> texts = List.of(all.get(0), all.get(3), all.get(7), all.get(9), all.get(15), all.get(16), all.get(all.size() - 1));
    EmbedderConfig cfg = EmbedderConfig.defaults().withBatchSize(8);
    try (ChunkedEmbedder hf = ChunkedEmbedder.load(cfg.withModel(dir.toString()));
        ChunkedEmbedder def = ChunkedEmbedder.load(cfg)) {
      assertEquals(def.pooling(), hf.pooling());
      assertEquals(def.maxTokens(), hf.maxTokens());
      assertEquals(def.bertConfig(), hf.bertConfig());
      List<DocumentEmbedding> a = hf.embed(texts);
      List<DocumentEmbedding> b = def.embed(texts);
      double max = 0;
      for (int i = 0; i < texts.size(); i++) {
        max = Math.max(max, OrtReference.maxAbsDiff(a.get(i).vector(), b.get(i).vector()));
      }
      System.out.printf("HF export of bge-small: %d texts, doc vector max|diff| vs ONNX path %.3g%n", texts.size(), max);
      assertTrue(max <= 1e-5, "max |diff| " + max);
    }
  }
}
