package org.doppel.job.decide;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.doppel.job.data.EmbeddedText;
import scala.Tuple2;

/**
 * Candidate pairs -> decided pairs, on the executors: each candidate is joined with what the decision needs of
 * both texts (window vectors and offsets, sketches, lengths; not the characters), its evidence computed
 * ({@link PairEvidence}: cosine, passage alignment, lexical resemblance and containment) and the decision applied
 * there; only the pairs at or above the threshold are joined with their texts again, to cut their passages.
 */
public final class PassageAligner {
  private PassageAligner() {}

  public static JavaRDD<TextPair> decide(JavaRDD<Tuple2<String, String>> candidates, JavaRDD<EmbeddedText> texts,
                                         Decision decision, double threshold) {
    JavaPairRDD<String, EmbeddedText> slim = texts.mapToPair(t -> new Tuple2<>(t.textSha256(), t.withoutText()));
    double match = decision.rawPassageMatch();
    JavaRDD<TextPair> decided = candidates
        .mapToPair(p -> p)
        .join(slim)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1(), kv._2()._2()))
        .join(slim)
        .map(kv -> {
          EmbeddedText a = kv._2()._1(), b = kv._2()._2();
          PairEvidence e = PairEvidence.of(a, b, match);
          return new TextPair(a.textSha256(), b.textSha256(), e, decision.score(e));
        })
        .filter(p -> p.score() >= threshold);
    return withPassageTexts(decided, texts);
  }

  /** Decided pairs with their passages' texts, cut where each text lives. */
  static JavaRDD<TextPair> withPassageTexts(JavaRDD<TextPair> decided, JavaRDD<EmbeddedText> texts) {
    JavaPairRDD<String, String> full = texts.mapToPair(t -> new Tuple2<>(t.textSha256(), t.text()));
    return decided.mapToPair(tp -> new Tuple2<>(tp.textA(), tp)).join(full)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1().textB(), new Tuple2<>(kv._2()._1(), kv._2()._2())))
        .join(full)
        .map(kv -> kv._2()._1()._1().withPassages(kv._2()._1()._2(), kv._2()._2()));
  }

  /** For each text of {@code texts}: the evidence its exact copies share (the same text on both sides). */
  public static JavaPairRDD<String, PairEvidence> identical(JavaRDD<EmbeddedText> texts) {
    return texts.mapToPair(t -> new Tuple2<>(t.textSha256(), PairEvidence.identical(t)));
  }

  public static double dot(float[] x, float[] y) {
    double s = 0;
    for (int i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  }
}
