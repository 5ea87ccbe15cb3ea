package org.doppel.job;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * Candidates from both sides, so a pair is not lost because one signal missed it: pairs whose document
 * vectors reach the decision's candidate cosine (exact tiled search, {@link PairwiseCosine}, or blocked search for large sets, {@link PairSearch}) and pairs
 * whose lexical sketches collide in a MinHash LSH band ({@link LshCandidates}). Each unordered pair of
 * distinct texts once, smaller text hash first.
 */
public final class CandidatePairs {
  private CandidatePairs() {}

  public static JavaRDD<Tuple2<String, String>> of(JavaSparkContext jsc, List<TextVector> vectors,
                                                    JavaRDD<EmbeddedText> texts, Decision decision, PairSearch search,
                                                    int tileSize) {
    float[][] matrix = vectors.stream().map(TextVector::vector).toArray(float[][]::new);
    List<Tuple2<String, String>> semantic = search.pairsAbove(jsc, matrix, decision.candidateCosine(), tileSize)
        .stream().map(h -> ordered(vectors.get(h.i()).textSha256(), vectors.get(h.j()).textSha256())).toList();
    int slices = Math.max(1, jsc.defaultParallelism() * 2);
    return jsc.parallelize(semantic, slices).union(LshCandidates.of(texts)).distinct(slices);
  }

  static Tuple2<String, String> ordered(String a, String b) {
    return a.compareTo(b) < 0 ? new Tuple2<>(a, b) : new Tuple2<>(b, a);
  }
}
