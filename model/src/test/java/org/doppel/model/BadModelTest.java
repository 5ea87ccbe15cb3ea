package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadModelTest {

  static void copyResource(String resource, Path target) throws Exception {
    try (InputStream in = BadModelTest.class.getClassLoader().getResourceAsStream(resource)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String failure(Path dir) {
    EmbedderConfig cfg = EmbedderConfig.defaults().withModel(dir.toString());
    return assertThrows(ModelLoadException.class, () -> ChunkedEmbedder.load(cfg)).getMessage();
  }

  @Test
  void missingTokenizerIsNamed(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    String msg = failure(dir);
    assertTrue(msg.contains("tokenizer.json"), msg);
    assertTrue(!msg.contains(".onnx file"), msg);
  }

  @Test
  void missingOnnxIsNamed(@TempDir Path dir) throws Exception {
    copyResource("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
    String msg = failure(dir);
    assertTrue(msg.contains("*.onnx"), msg);
  }

  @Test
  void emptyDirectoryNamesBoth(@TempDir Path dir) {
    String msg = failure(dir);
    assertTrue(msg.contains("*.onnx") && msg.contains("tokenizer.json"), msg);
  }

  @Test
  void corruptOnnxIsNamed(@TempDir Path dir) throws Exception {
    copyResource("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
    Files.write(dir.resolve("weights.onnx"), "this is not a protobuf".getBytes());
    String msg = failure(dir);
    assertTrue(msg.contains(dir.resolve("weights.onnx").toString()), msg);
  }

  @Test
  void unknownNameIsReported() {
    String msg = assertThrows(ModelLoadException.class,
        () -> ChunkedEmbedder.load(EmbedderConfig.defaults().withModel("no-such-model"))).getMessage();
    assertTrue(msg.contains("no-such-model"), msg);
  }

  @Test
  void directoryModelLoads(@TempDir Path dir) throws Exception {
    copyResource("all-minilm-l6-v2-tokenizer.json", dir.resolve("tokenizer.json"));
    copyResource("all-minilm-l6-v2.onnx", dir.resolve("model.onnx"));
    Files.writeString(dir.resolve("config.json"), "{\"num_attention_heads\": 12, \"layer_norm_eps\": 1e-12}");
    try (ChunkedEmbedder e = ChunkedEmbedder.load(EmbedderConfig.defaults().withModel(dir.toString()));
        ChunkedEmbedder named = ChunkedEmbedder.load(EmbedderConfig.defaults().withModel(EmbedderConfig.MINILM_MODEL))) {
      assertEquals(384, e.dimension());
      assertEquals(6, e.bertConfig().layers());
      assertEquals(Pooling.MEAN, e.pooling());
      assertEquals(512, e.maxTokens()); // no sentence_bert_config.json: the position table
      List<String> texts = List.of("A directory model works like a named one.");
      float[] a = e.embed(texts).get(0).vector();
      float[] b = named.embed(texts).get(0).vector();
      assertTrue(OrtReference.cosine(a, b) > 0.99999);
    }
  }
}
