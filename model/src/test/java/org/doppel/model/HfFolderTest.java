package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * HF safetensors folders of the three architectures against the independent numpy reference
 * written by src/test/resources/tiny-models/make_tiny_models.py (random tiny weights).
 */
class HfFolderTest {

  static Path tinyModel(String arch) throws Exception {
    return Path.of(HfFolderTest.class.getClassLoader().getResource("tiny-models/" + arch + "/config.json").toURI())
        .getParent();
  }

  record Seq(long[] ids, float[] hidden, float[] mean, float[] cls) {}

  static List<Seq> reference(String arch) throws Exception {
    JsonObject ref = JsonParser.parseString(Files.readString(tinyModel(arch).resolve("reference.json"))).getAsJsonObject();
    List<Seq> out = new ArrayList<>();
    for (var e : ref.getAsJsonArray("sequences")) {
      JsonObject o = e.getAsJsonObject();
      JsonArray ids = o.getAsJsonArray("ids");
      long[] id = new long[ids.size()];
      for (int i = 0; i < id.length; i++) id[i] = ids.get(i).getAsLong();
      out.add(new Seq(id, floats(o.getAsJsonArray("hidden")), floats(o.getAsJsonArray("mean")), floats(o.getAsJsonArray("cls"))));
    }
    return out;
  }

  static float[] floats(JsonArray a) {
    float[] f = new float[a.size()];
    for (int i = 0; i < f.length; i++) f[i] = a.get(i).getAsFloat();
    return f;
  }

  /** Max |diff| of hidden states and pooled vectors (both poolings, batched padded path). */
  static double check(String arch, int expectedMax, Pooling expectedPooling) throws Exception {
    List<Seq> ref = reference(arch);
    EmbedderConfig cfg = EmbedderConfig.defaults().withModel(tinyModel(arch).toString()).withBatchSize(8);
    double maxHidden = 0;
    double maxPooled = 0;
    try (ChunkedEmbedder e = ChunkedEmbedder.load(cfg)) {
      assertEquals(32, e.dimension());
      assertEquals(2, e.bertConfig().layers());
      assertEquals(expectedMax, e.maxTokens(), "window");
      assertEquals(expectedPooling, e.pooling());
      for (Seq s : ref) {
        float[][] h = e.hiddenState(s.ids());
        int dim = h[0].length;
        for (int t = 0; t < h.length; t++) {
          for (int j = 0; j < dim; j++) maxHidden = Math.max(maxHidden, Math.abs(h[t][j] - s.hidden()[t * dim + j]));
        }
      }
      List<long[]> windows = ref.stream().map(Seq::ids).toList();
      for (Pooling p : Pooling.values()) {
        try (ChunkedEmbedder ep = ChunkedEmbedder.load(cfg.withPooling(p))) {
          float[][] v = ep.embedWindows(windows);
          for (int i = 0; i < windows.size(); i++) {
            float[] r = p == Pooling.MEAN ? ref.get(i).mean() : ref.get(i).cls();
            maxPooled = Math.max(maxPooled, OrtReference.maxAbsDiff(v[i], r));
          }
        }
      }
      // The tokenizer path works end to end.
      float[] doc = e.embed(List.of("The dog drew a cat, today.")).get(0).vector();
      assertEquals(32, doc.length);
      assertTrue(Math.abs(OrtReference.cosine(doc, doc) - 1) < 1e-5);
    }
    System.out.printf("HF %s: hidden max|diff| %.3g, pooled max|diff| %.3g%n", arch, maxHidden, maxPooled);
    assertTrue(maxHidden < 1e-4, arch + " hidden max |diff| " + maxHidden);
    assertTrue(maxPooled < 1e-4, arch + " pooled max |diff| " + maxPooled);
    return Math.max(maxHidden, maxPooled);
  }

  @Test
  void bertMatchesNumpyReference() throws Exception {
    check("bert", 128, Pooling.CLS); // CLS from modules.json -> 1_Pooling/config.json
  }

  @Test
  void xlmRobertaMatchesNumpyReference() throws Exception {
    check("xlm-roberta", 64, Pooling.MEAN); // 66 positions - (pad 1 + 1)
  }

  @Test
  void jinaBertMatchesNumpyReference() throws Exception {
    check("jinabert", 8192, Pooling.MEAN);
  }

  @Test
  void jinaBertQueryBlocksMatchTheReference() throws Exception {
    long saved = BertEncoder.scoreBlockFloats;
    // 4 heads x 700 keys x 40 rows: the 700-token window runs in query blocks of 40 rows.
    BertEncoder.scoreBlockFloats = 4L * 700 * 40;
    try {
      assertEquals(40, BertEncoder.queryBlock(4, 700));
      check("jinabert", 8192, Pooling.MEAN);
    } finally {
      BertEncoder.scoreBlockFloats = saved;
    }
  }

  @Test
  void alibiSlopesMatchPressEtAl() throws Exception {
    JsonObject ref = JsonParser.parseString(Files.readString(tinyModel("jinabert").resolve("reference.json")))
        .getAsJsonObject().getAsJsonObject("alibi_slopes");
    for (Map.Entry<String, com.google.gson.JsonElement> e : ref.entrySet()) {
      float[] want = floats(e.getValue().getAsJsonArray());
      float[] got = BertEncoder.alibiSlopes(Integer.parseInt(e.getKey()));
      assertEquals(want.length, got.length);
      for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-7f, e.getKey() + " heads, slope " + i);
    }
  }

  @Test
  void halfFloatsConvert() {
    assertEquals(1.0f, Safetensors.halfToFloat((short) 0x3C00));
    assertEquals(-2.0f, Safetensors.halfToFloat((short) 0xC000));
    assertEquals(65504f, Safetensors.halfToFloat((short) 0x7BFF));
    assertEquals(5.960464477539063e-8f, Safetensors.halfToFloat((short) 0x0001));
    assertTrue(Float.isInfinite(Safetensors.halfToFloat((short) 0x7C00)));
  }
}
