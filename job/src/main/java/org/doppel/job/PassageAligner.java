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
 * Candidate pairs -> decided pairs, where the texts live: each candidate is joined with both texts (window
 * vectors, sketches) on the executors, its evidence computed ({@link PairEvidence}: cosine, passage
 * alignment, lexical resemblance and containment) and the decision applied there, so only pairs at or
 * above the threshold travel to the driver and chunk vectors never do.
 */
public final class PassageAligner {
  private PassageAligner() {}

  public static List<TextPair> decide(JavaRDD<Tuple2<String, String>> candidates, JavaRDD<EmbeddedText> texts,
                                      Decision decision, double threshold) {
    JavaPairRDD<String, EmbeddedText> byText = texts.mapToPair(t -> new Tuple2<>(t.textSha256(), t));
    double match = decision.passageMatch();
    return candidates
        .mapToPair(p -> p)
        .join(byText)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1(), kv._2()._2()))
        .join(byText)
        .map(kv -> {
          EmbeddedText a = kv._2()._1(), b = kv._2()._2();
          PairEvidence e = PairEvidence.of(a, b, match);
          return new TextPair(a.textSha256(), b.textSha256(), e, decision.score(e));
        })
        .filter(p -> p.score() >= threshold)
        .collect();
  }

  /** For texts that occur more than once: the evidence all their exact copies share. */
  public static Map<String, PairEvidence> identical(JavaSparkContext jsc, JavaRDD<EmbeddedText> texts, Set<String> wanted) {
    if (wanted.isEmpty()) return Map.of();
    Broadcast<Set<String>> keys = jsc.broadcast(wanted);
    return new HashMap<>(texts.filter(t -> keys.value().contains(t.textSha256()))
        .mapToPair(t -> new Tuple2<>(t.textSha256(), PairEvidence.identical(t)))
        .collectAsMap());
  }

  static double dot(float[] x, float[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }
}
