package org.doppel.job.candidates;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.LongAccumulator;
import org.doppel.job.data.EmbeddedText;
import org.doppel.job.data.TextVector;
import org.doppel.job.decide.Decision;
import scala.Tuple2;

/**
 * Candidates from both sides, so a pair is not lost because one signal missed it: pairs whose document
 * vectors reach the decision's candidate cosine (exact tiled search, {@link PairwiseCosine}, or blocked search for large sets, {@link PairSearch}) and pairs
 * whose lexical sketches collide in a MinHash LSH band ({@link LshCandidates}). Each unordered pair of
 * distinct texts once, smaller text hash first.
 */
public final class CandidatePairs {
  /**
   * The candidates (lazy, distributed) and how they were found: the vector search used and how many LSH band
   * buckets were too large to propose pairs from (read after the pairs were computed).
   */
  public record Found(JavaRDD<Tuple2<String, String>> pairs, PairSearch.Found semantic, LongAccumulator lshCapped) {}

  private CandidatePairs() {}

  public static Found of(JavaRDD<TextVector> vectors, long n, JavaRDD<EmbeddedText> texts, Decision decision,
                         PairSearch search, int tileSize) {
    PairSearch.Found semantic = search.pairsAbove(vectors, n, decision.searchCosine(), tileSize);
    LongAccumulator capped = texts.context().longAccumulator("LSH buckets capped");
    int slices = Math.max(1, texts.context().defaultParallelism() * 2);
    JavaRDD<Tuple2<String, String>> pairs = semantic.hits().map(h -> new Tuple2<>(h.a(), h.b()))
        .union(LshCandidates.of(texts, LshCandidates.BUCKET_CAP, capped))
        .distinct(slices);
    return new Found(pairs, semantic, capped);
  }
}
