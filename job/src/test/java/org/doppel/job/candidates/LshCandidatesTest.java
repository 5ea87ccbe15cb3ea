package org.doppel.job.candidates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.doppel.extractors.LexicalSketch;
import org.doppel.job.SparkTestSession;
import org.doppel.job.data.EmbeddedText;
import org.doppel.model.Chunk;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The banding proposes pairs down to a resemblance of about 0.3 and almost never unrelated ones. */
class LshCandidatesTest {
  private static final Random RND = new Random(11);

  /** Two texts of distinct random words whose 3-shingle sets have about the wanted Jaccard resemblance. */
  private static String[] pairWithResemblance(double j, int words) {
    // B keeps a run of A's words and replaces the rest: shared shingles ~ shared words
    int shared = (int) Math.round(2 * j / (1 + j) * words);
    List<String> a = new ArrayList<>(), b = new ArrayList<>();
    for (int i = 0; i < words; i++) a.add("a" + RND.nextInt(1 << 30));
    for (int i = 0; i < words; i++) b.add(i < shared ? a.get(i) : "b" + RND.nextInt(1 << 30));
    return new String[] {String.join(" ", a), String.join(" ", b)};
  }

  private static double proposedFraction(double j) {
    int hits = 0, n = 300;
    double measured = 0;
    for (int k = 0; k < n; k++) {
      String[] p = pairWithResemblance(j, 400);
      LexicalSketch a = LexicalSketch.of(p[0]), b = LexicalSketch.of(p[1]);
      measured += a.resemblance(b);
      if (LshCandidates.collide(a, b)) hits++;
    }
    assertEquals(j, measured / n, 0.03, "the generator's pairs have the intended resemblance");
    return hits / (double) n;
  }

  @Test
  void bandingCurve() {
    // theory for 85 bands x 3 rows: 0.07 at J=0.1, 0.90 at 0.3, 0.996 at 0.4
    assertTrue(proposedFraction(0.05) < 0.03, "unrelated texts are rarely proposed");
    assertTrue(proposedFraction(0.3) > 0.83, "J = 0.3 is proposed about 90% of the time");
    assertTrue(proposedFraction(0.4) > 0.97, "J = 0.4 nearly always");
  }

  @Test
  void sparkStageProposesEachCollidingPairOnce() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    String[] near = pairWithResemblance(0.8, 300);
    String[] far = pairWithResemblance(0.0, 300);
    List<EmbeddedText> texts = new ArrayList<>();
    String[] all = {near[0], near[1], far[0], far[1], ""};
    for (int i = 0; i < all.length; i++) {
      texts.add(new EmbeddedText("t" + i, all[i], new float[] {1f}, List.<Chunk>of(), LexicalSketch.of(all[i])));
    }
    Set<String> pairs = new TreeSet<>();
    for (Tuple2<String, String> p : LshCandidates.of(jsc.parallelize(texts, 3), LshCandidates.BUCKET_CAP, jsc.sc().longAccumulator()).collect()) {
      assertTrue(pairs.add(p._1() + "-" + p._2()), "each pair once: " + p);
      assertTrue(p._1().compareTo(p._2()) < 0, "smaller hash first");
    }
    assertEquals(Set.of("t0-t1"), pairs, "only the near-duplicate pair collides; the empty text never does");
  }

  /** A band bucket over the cap proposes nothing and is counted; under the cap the same texts pair. */
  @Test
  void oversizedBucketsAreCappedAndCounted() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
    String text = pairWithResemblance(0.0, 200)[0];
    List<EmbeddedText> copies = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      copies.add(new EmbeddedText("t" + i, text, new float[] {1f}, List.<Chunk>of(), LexicalSketch.of(text)));
    }
    LongAccumulator capped = jsc.sc().longAccumulator();
    assertEquals(0, LshCandidates.of(jsc.parallelize(copies, 2), 5, capped).count(), "six texts in buckets capped at 5");
    assertEquals(LshCandidates.BANDS, capped.value(), "every band's bucket was over the cap");
    LongAccumulator none = jsc.sc().longAccumulator();
    assertEquals(15, LshCandidates.of(jsc.parallelize(copies, 2), 6, none).count(), "6 choose 2 under the cap");
    assertEquals(0, none.value());
  }
}
