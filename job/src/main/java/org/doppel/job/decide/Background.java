package org.doppel.job.decide;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.doppel.job.data.TextVector;

/**
 * What unrelated documents of a corpus score: the median cosine over all pairs of a seeded random sample of its
 * distinct texts' document vectors (at most {@value #SAMPLE}, so the driver holds a fixed amount whatever the
 * corpus size). Near-duplicates are a small share of random pairs, so the median is the corpus's background; a
 * model that cannot read the corpus's text scores everything alike and the median climbs towards 1.
 *
 * @param median  the median cosine of the sampled pairs (NaN with fewer than 2 texts)
 * @param sampled texts sampled
 */
public record Background(double median, int sampled) {
  public static final int SAMPLE = 256;

  public static Background of(JavaRDD<TextVector> vectors) {
    List<TextVector> sample = vectors.filter(v -> v.tokens() > 0).takeSample(false, SAMPLE, 20_260_701L);
    return of(sample.stream().map(TextVector::vector).toList());
  }

  static Background of(List<float[]> vectors) {
    int n = vectors.size();
    if (n < 2) return new Background(Double.NaN, n);
    double[] cos = new double[n * (n - 1) / 2];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) cos[k++] = PassageAligner.dot(vectors.get(i), vectors.get(j));
    }
    Arrays.sort(cos);
    double median = cos.length % 2 == 1 ? cos[cos.length / 2] : (cos[cos.length / 2 - 1] + cos[cos.length / 2]) / 2;
    return new Background(median, n);
  }

  /** The decision judging this corpus's cosines against its background (none measured: as shipped). */
  public Decision applyTo(Decision decision) {
    return Double.isNaN(median) ? decision : decision.withCorpusBackground(median);
  }
}
