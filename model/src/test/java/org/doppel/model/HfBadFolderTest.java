package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken HF folders fail with a ModelLoadException naming the file (and tensor). */
class HfBadFolderTest {

  static Path copy(String arch, Path target) throws Exception {
    Path src = HfFolderTest.tinyModel(arch);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = target.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t);
      }
    }
    return target;
  }

  private static String failure(Path dir) {
    EmbedderConfig cfg = EmbedderConfig.defaults().withModel(dir.toString());
    String msg = assertThrows(ModelLoadException.class, () -> ChunkedEmbedder.load(cfg)).getMessage();
    System.out.println("  bad folder: " + msg);
    return msg;
  }

  private static void editConfig(Path dir, String from, String to) throws Exception {
    Path c = dir.resolve("config.json");
    String s = Files.readString(c);
    assertTrue(s.contains(from), s);
    Files.writeString(c, s.replace(from, to));
  }

  @Test
  void missingConfig(@TempDir Path dir) throws Exception {
    Files.delete(copy("bert", dir).resolve("config.json"));
    String msg = failure(dir);
    assertTrue(msg.contains(dir.resolve("config.json").toString()), msg);
  }

  @Test
  void missingTokenizer(@TempDir Path dir) throws Exception {
    Files.delete(copy("bert", dir).resolve("tokenizer.json"));
    String msg = failure(dir);
    assertTrue(msg.contains(dir.resolve("tokenizer.json").toString()), msg);
  }

  @Test
  void missingShard(@TempDir Path dir) throws Exception {
    Files.delete(copy("jinabert", dir).resolve("model-00002-of-00002.safetensors"));
    String msg = failure(dir);
    assertTrue(msg.contains("model-00002-of-00002.safetensors") && msg.contains("model.safetensors.index.json"), msg);
  }

  @Test
  void unknownArchitecture(@TempDir Path dir) throws Exception {
    copy("bert", dir);
    editConfig(dir, "\"model_type\": \"bert\"", "\"model_type\": \"nomic_bert\"");
    String msg = failure(dir);
    assertTrue(msg.contains("nomic_bert") && msg.contains("config.json") && msg.contains("BertModel"), msg);
  }

  @Test
  void missingTensor(@TempDir Path dir) throws Exception {
    copy("bert", dir);
    Path st = dir.resolve("model.safetensors");
    Map<String, OnnxWeights.Tensor> t = new LinkedHashMap<>(Safetensors.read(st));
    // copy the buffers out of the map before the file is rewritten
    Map<String, OnnxWeights.Tensor> kept = new LinkedHashMap<>();
    for (var e : t.entrySet()) {
      if (e.getKey().equals("encoder.layer.1.output.dense.bias")) continue;
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(e.getValue().data().remaining());
      b.put(e.getValue().data().duplicate()).flip();
      kept.put(e.getKey(), new OnnxWeights.Tensor(e.getValue().dims(), b));
    }
    Files.delete(st);
    SafetensorsWriter.write(st, kept);
    String msg = failure(dir);
    assertTrue(msg.contains("'encoder.layer.1.output.dense.bias'") && msg.contains(st.toString()), msg);
  }

  @Test
  void mismatchedShape(@TempDir Path dir) throws Exception {
    copy("xlm-roberta", dir);
    editConfig(dir, "\"intermediate_size\": 64", "\"intermediate_size\": 48");
    String msg = failure(dir);
    assertTrue(msg.contains("'encoder.layer.0.intermediate.dense.weight'") && msg.contains("[64, 32]")
        && msg.contains("[48, 32]") && msg.contains("model.safetensors"), msg);
  }

  @Test
  void corruptSafetensors(@TempDir Path dir) throws Exception {
    copy("bert", dir);
    Files.writeString(dir.resolve("model.safetensors"), "not a safetensors file at all");
    String msg = failure(dir);
    assertTrue(msg.contains(dir.resolve("model.safetensors").toString()), msg);
  }

  @Test
  void unsupportedPooling(@TempDir Path dir) throws Exception {
    copy("bert", dir);
    Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"pooling_mode_max_tokens\": true}");
    String msg = failure(dir);
    assertTrue(msg.contains("pooling_mode_max_tokens") && msg.contains("1_Pooling"), msg);
  }
}
