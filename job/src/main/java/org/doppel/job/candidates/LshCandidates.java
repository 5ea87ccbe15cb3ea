package org.doppel.job.candidates;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.LongAccumulator;
import org.doppel.extractors.LexicalSketch;
import org.doppel.job.data.EmbeddedText;
import scala.Tuple2;

/**
 * Lexical candidates: MinHash LSH over the texts' sketches. The {@value LexicalSketch#PERMUTATIONS} minima
 * are cut into {@value #BANDS} bands of {@value #ROWS}; two texts sharing all rows of any band become a
 * candidate pair. The chance that a pair of resemblance J is proposed is 1 - (1 - J^3)^85: 0.50 at J = 0.2,
 * 0.90 at 0.3, 0.996 at 0.4 (measured in LshCandidatesTest), so pairs down to about 0.3 are proposed while
 * unrelated texts (J < 0.05) collide with chance below 1%.
 */
public final class LshCandidates {
  static final int ROWS = 3;
  static final int BANDS = LexicalSketch.PERMUTATIONS / ROWS;
  /**
   * A band bucket with more texts than this proposes no pairs (it would propose up to cap^2 / 2): such buckets are
   * shared boilerplate, and true near-duplicates among their texts still meet in their other bands and through the
   * vector search. How many were capped is in summary.json.
   */
  public static final int BUCKET_CAP = 1000;

  private LshCandidates() {}

  /**
   * Unordered pairs of distinct text hashes (smaller first) that share a band bucket of at most {@code cap} texts.
   *
   * @param capped counts the buckets over the cap
   */
  public static JavaRDD<Tuple2<String, String>> of(JavaRDD<EmbeddedText> texts, int cap, LongAccumulator capped) {
    return texts.filter(t -> !t.sketch().isEmpty())
        .flatMapToPair(t -> {
          List<Tuple2<Long, String>> keys = new ArrayList<>(BANDS);
          for (long k : bandKeys(t.sketch())) keys.add(new Tuple2<>(k, t.textSha256()));
          return keys.iterator();
        })
        .groupByKey()
        .flatMap(bucket -> {
          List<String> members = new ArrayList<>();
          bucket._2().forEach(members::add);
          List<Tuple2<String, String>> pairs = new ArrayList<>();
          if (members.size() > cap) capped.add(1);
          if (members.size() < 2 || members.size() > cap) return pairs.iterator();
          members.sort(null);
          for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) pairs.add(new Tuple2<>(members.get(i), members.get(j)));
          }
          return pairs.iterator();
        })
        .distinct();
  }

  /** One key per band: the band's index and its rows' minima, hashed. */
  static long[] bandKeys(LexicalSketch s) {
    long[] keys = new long[BANDS];
    for (int b = 0; b < BANDS; b++) {
      long h = b;
      for (int r = 0; r < ROWS; r++) h = h * 0x100000001B3L + (s.mins()[b * ROWS + r] & 0xffffffffL);
      keys[b] = h ^ (h >>> 29);
    }
    return keys;
  }

  static boolean collide(LexicalSketch a, LexicalSketch b) {
    for (int band = 0; band < BANDS; band++) {
      int from = band * ROWS;
      if (Arrays.equals(a.mins(), from, from + ROWS, b.mins(), from, from + ROWS)) return true;
    }
    return false;
  }
}
