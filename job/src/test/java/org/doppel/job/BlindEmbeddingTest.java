package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text the model cannot read: articles in a script the English default model barely knows, made of phrases
 * drawn from one shared pool (one domain: any two articles share a few phrases), with three edited copies.
 * The model scores every article alike; judged as they are, those cosines plus the chance overlap pair unrelated
 * articles (41 pairs when this was written). Judged against the corpus's own background, only the copies pair.
 */
class BlindEmbeddingTest {
  static final String KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん";
  static final String KANJI = "日本語文書情報処理設定管理利用方法説明表示入力出力変更確認実行環境";

  @Test
  void unrelatedArticlesDoNotPairWhereEveryCosineIsHigh(@TempDir Path tmp) throws Exception {
    Random rnd = new Random(7);
    List<String> pool = new ArrayList<>(); // the domain's phrases: any two articles share a few
    for (int i = 0; i < 1000; i++) pool.add(phrase(rnd));
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    List<String> articles = new ArrayList<>();
    for (int a = 0; a < 24; a++) {
      StringBuilder sb = new StringBuilder();
      for (int s = 0; s < 10; s++) sb.append(sentence(rnd, pool));
      articles.add(sb.toString());
      Files.writeString(docs.resolve(String.format("a%02d.txt", a)), sb, StandardCharsets.UTF_8);
    }
    Set<String> truth = new TreeSet<>();
    for (int a = 0; a < 3; a++) { // an edited copy: one sentence replaced by a new one
      String original = articles.get(a);
      String edited = sentence(rnd, pool) + original.substring(original.indexOf('。') + 1);
      Files.writeString(docs.resolve(String.format("a%02d-edited.txt", a)), edited, StandardCharsets.UTF_8);
      truth.add(String.format("a%02d-edited.txt ~ a%02d.txt", a, a));
    }

    RunConfig cfg = RunConfig.defaults(List.of(docs.toString()), tmp.resolve("report"));
    DoppelJob.run(SparkTestSession.get(), cfg, System.err);
    JsonNode background = new ObjectMapper().readTree(tmp.resolve("report/summary.json").toFile()).get("background");
    assertTrue(background.get("cosines_calibrated").asBoolean() && background.get("lexical_calibrated").asBoolean(),
        "the corpus scores above the fitted background: " + background);
    assertTrue(background.get("median_cosine").asDouble() > cfg.decision().background().cosine() + 0.1, background.toString());
    List<Row> pairs = pairs(tmp.resolve("report"));
    assertEquals(truth, names(pairs), "exactly the edited copies");
    for (Row r : pairs) {
      assertTrue(r.<String>getAs("reason").contains("unrelated documents of this corpus score cosine"), r.toString());
    }

    // The same corpus with cosines taken as they are: unrelated articles of the one domain pair.
    RunConfig raw = RunConfig.defaults(List.of(docs.toString()), tmp.resolve("raw"))
        .withDecision(cfg.decision().withFitted(null));
    DoppelJob.run(SparkTestSession.get(), raw, System.err);
    Set<String> rawPairs = names(pairs(tmp.resolve("raw")));
    assertTrue(rawPairs.containsAll(truth) && rawPairs.size() > truth.size() + 5,
        "without the background the model's cosines pair unrelated articles: " + rawPairs.size() + " pairs");
  }

  /** 3-6 characters of kana and kanji. */
  static String phrase(Random rnd) {
    StringBuilder sb = new StringBuilder();
    int n = 3 + rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      String from = rnd.nextInt(3) == 0 ? KANJI : KANA;
      sb.append(from.charAt(rnd.nextInt(from.length())));
    }
    return sb.toString();
  }

  /** Four phrases of the domain, ending in a full stop. */
  static String sentence(Random rnd, List<String> pool) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4; i++) sb.append(pool.get(rnd.nextInt(pool.size())));
    return sb.append('。').toString();
  }

  static List<Row> pairs(Path report) {
    return SparkTestSession.get().read().parquet(report.resolve("pairs.parquet").toString()).collectAsList();
  }

  static Set<String> names(List<Row> pairs) {
    Set<String> out = new TreeSet<>();
    for (Row r : pairs) out.add(r.getAs("path_a") + " ~ " + r.getAs("path_b"));
    return out;
  }
}
