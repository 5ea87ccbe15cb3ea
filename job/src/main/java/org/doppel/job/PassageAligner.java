package org.doppel.job;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * Explains pairs: aligns the windows of each candidate text pair ({@link Alignment}: best window pairs
 * with their character spans and text, coverage of each side). Runs where the chunk vectors live (Spark joins), so chunk
 * vectors never all travel to the driver.
 */
public final class PassageAligner {
  private PassageAligner() {}

  public static List<TextPair> explain(JavaSparkContext jsc, List<TextPair> candidates, JavaRDD<EmbeddedText> texts,
                                       double matchThreshold) {
    if (candidates.isEmpty()) return List.of();
    JavaPairRDD<String, EmbeddedText> byText = texts.mapToPair(t -> new Tuple2<>(t.textSha256(), t));
    return jsc.parallelize(candidates, Math.max(1, Math.min(candidates.size(), jsc.defaultParallelism() * 2)))
        .mapToPair(p -> new Tuple2<>(p.textA(), p))
        .join(byText)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1().textB(), kv._2()))
        .join(byText)
        .map(kv -> {
          TextPair p = kv._2()._1()._1();
          return p.withAlignment(Alignment.of(kv._2()._1()._2(), kv._2()._2(), matchThreshold));
        })
        .collect();
  }

  /** For texts that occur more than once: the alignment all their exact copies share. */
  public static Map<String, Alignment> identical(JavaSparkContext jsc, JavaRDD<EmbeddedText> texts, Set<String> wanted) {
    if (wanted.isEmpty()) return Map.of();
    Broadcast<Set<String>> keys = jsc.broadcast(wanted);
    return new HashMap<>(texts.filter(t -> keys.value().contains(t.textSha256()))
        .mapToPair(t -> new Tuple2<>(t.textSha256(), Alignment.identical(t)))
        .collectAsMap());
  }

  static double dot(float[] x, float[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }
}
