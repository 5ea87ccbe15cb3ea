package org.doppel.job.decide;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.doppel.extractors.LexicalSketch;
import org.doppel.job.data.EmbeddedText;
import scala.Tuple2;

/**
 * What unrelated documents of a corpus score, over the pairs of a seeded random sample of its distinct texts (at
 * most {@value #SAMPLE}, so the driver holds a fixed amount whatever the corpus size): the median document cosine
 * of the pairs whose lexical containment (the larger direction) is at most the median, and the
 * {@value #CONTAINMENT_QUANTILE} quantile of containment of the pairs whose cosine is at most the median. Each measure
 * is read where the other calls the pair unrelated, so copies and near-duplicates, high on both, are left out
 * whatever their share of a small or duplicate-dense folder. What remains is what unrelated documents score: a model
 * that cannot read the text scores everything alike and the median cosine climbs towards 1; in scripts written
 * without spaces, character shingles recur between unrelated texts far more often than English word shingles do.
 *
 * @param cosine      the median cosine of the sampled pairs (NaN with fewer than {@value #MIN_SAMPLE} texts)
 * @param containment the {@value #CONTAINMENT_QUANTILE} quantile of their larger containment (NaN likewise)
 * @param sampled     texts sampled
 */
public record Background(double cosine, double containment, int sampled) implements Serializable {
  public static final int SAMPLE = 256;
  public static final double CONTAINMENT_QUANTILE = 0.95;
  /** Fewer distinct texts than this: no background (a handful of texts, mostly copies, says nothing of a corpus). */
  public static final int MIN_SAMPLE = 20;

  public static Background of(JavaRDD<EmbeddedText> texts) {
    List<Tuple2<float[], LexicalSketch>> sample = texts.filter(t -> t.tokens() > 0)
        .map(t -> new Tuple2<>(t.vector(), t.sketch())).takeSample(false, SAMPLE, 20_260_701L);
    return of(sample.stream().map(Tuple2::_1).toList(), sample.stream().map(Tuple2::_2).toList());
  }

  static Background of(List<float[]> vectors, List<LexicalSketch> sketches) {
    int n = vectors.size();
    if (n < MIN_SAMPLE) return new Background(Double.NaN, Double.NaN, n);
    double[] cos = new double[n * (n - 1) / 2], contained = new double[cos.length];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++, k++) {
        cos[k] = PassageAligner.dot(vectors.get(i), vectors.get(j));
        LexicalSketch a = sketches.get(i), b = sketches.get(j);
        contained[k] = Math.max(a.containmentIn(b), b.containmentIn(a));
      }
    }
    double cosMedian = quantile(cos.clone(), 0.5), containedMedian = quantile(contained.clone(), 0.5);
    return new Background(quantile(where(cos, contained, containedMedian), 0.5),
        quantile(where(contained, cos, cosMedian), CONTAINMENT_QUANTILE), n);
  }

  /** The values of {@code x} whose pair's {@code by} is at most {@code bound}. */
  static double[] where(double[] x, double[] by, double bound) {
    double[] out = new double[x.length];
    int k = 0;
    for (int i = 0; i < x.length; i++) if (by[i] <= bound) out[k++] = x[i];
    return Arrays.copyOf(out, k);
  }

  static double quantile(double[] x, double q) {
    Arrays.sort(x);
    double at = q * (x.length - 1);
    int lo = (int) Math.floor(at);
    return lo + 1 < x.length ? x[lo] + (at - lo) * (x[lo + 1] - x[lo]) : x[lo];
  }

  /** The decision judging this corpus's evidence against its background (none measured: as shipped). */
  public Decision applyTo(Decision decision) {
    return Double.isNaN(cosine) ? decision : decision.withCorpus(this);
  }
}
