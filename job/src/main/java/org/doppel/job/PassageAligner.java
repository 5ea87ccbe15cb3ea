package org.doppel.job;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.doppel.model.Chunk;
import scala.Tuple2;

/**
 * Explains pairs: for each candidate text pair, the two windows (one from each text) with the highest
 * cosine, with their character spans and text. Runs where the chunk vectors live (Spark joins), so chunk
 * vectors never all travel to the driver.
 */
public final class PassageAligner {
  private PassageAligner() {}

  public static List<TextPair> explain(JavaSparkContext jsc, List<TextPair> candidates, JavaRDD<EmbeddedText> texts) {
    if (candidates.isEmpty()) return List.of();
    JavaPairRDD<String, EmbeddedText> byText = texts.mapToPair(t -> new Tuple2<>(t.textSha256(), t));
    return jsc.parallelize(candidates, Math.max(1, Math.min(candidates.size(), jsc.defaultParallelism() * 2)))
        .mapToPair(p -> new Tuple2<>(p.textA(), p))
        .join(byText)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1().textB(), kv._2()))
        .join(byText)
        .map(kv -> {
          TextPair p = kv._2()._1()._1();
          return p.withPassage(bestPassage(kv._2()._1()._2(), kv._2()._2()));
        })
        .collect();
  }

  /** For texts that occur more than once: the first window, as the passage all exact copies share. */
  public static Map<String, Passage> firstPassages(JavaSparkContext jsc, JavaRDD<EmbeddedText> texts, Set<String> wanted) {
    if (wanted.isEmpty()) return Map.of();
    Broadcast<Set<String>> keys = jsc.broadcast(wanted);
    return new HashMap<>(texts.filter(t -> keys.value().contains(t.textSha256()))
        .mapToPair(t -> {
          Chunk c = t.chunks().get(0);
          String s = t.text().substring(c.startChar(), c.endChar());
          return new Tuple2<>(t.textSha256(), new Passage(c.startChar(), c.endChar(), s, c.startChar(), c.endChar(), s, 1.0));
        })
        .collectAsMap());
  }

  static Passage bestPassage(EmbeddedText a, EmbeddedText b) {
    double best = Double.NEGATIVE_INFINITY;
    Chunk bestA = null, bestB = null;
    for (Chunk ca : a.chunks()) {
      for (Chunk cb : b.chunks()) {
        double s = dot(ca.vector(), cb.vector());
        if (s > best) {
          best = s;
          bestA = ca;
          bestB = cb;
        }
      }
    }
    if (bestA == null) return null;
    return new Passage(bestA.startChar(), bestA.endChar(), a.text().substring(bestA.startChar(), bestA.endChar()),
        bestB.startChar(), bestB.endChar(), b.text().substring(bestB.startChar(), bestB.endChar()), Math.min(1.0, best));
  }

  static double dot(float[] x, float[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }
}
