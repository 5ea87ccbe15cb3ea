package org.doppel.job.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic document vectors with the structure real embeddings have (a shared direction, topics,
 * families of same-topic documents, and near-duplicate variants of one document), unlike isotropic random
 * vectors, which no partitioning can block. Cosine levels follow what bge-small gives on the generated
 * corpora: unrelated documents ~0.5, same topic ~0.7, same family 0.8-0.92, near-duplicates 0.90-0.99.
 * Each vector is a weighted sum of unit random directions: common, topic, family, document, variant.
 */
public final class ClusteredVectors {
  private ClusteredVectors() {}

  public static float[][] generate(int n, int dim, long seed) {
    Random rnd = new Random(seed);
    float[] common = unit(rnd, dim);
    int topics = Math.max(1, n / 400);
    float[][] topic = new float[topics][];
    for (int t = 0; t < topics; t++) topic[t] = unit(rnd, dim);
    float[][] v = new float[n][];
    int i = 0;
    while (i < n) {
      for (float[] x : family(rnd, dim, common, topic[rnd.nextInt(topics)], n - i)) v[i++] = x;
    }
    return v;
  }

  /** One family of at most {@code limit} vectors: 1-12 documents of one topic, each with 1-5 near-duplicate variants. */
  static List<float[]> family(Random rnd, int dim, float[] common, float[] topic, int limit) {
    List<float[]> out = new ArrayList<>();
    float[] family = unit(rnd, dim);
    double wFamily = 0.10 + rnd.nextDouble() * 0.12;
    int docs = 1 + rnd.nextInt(12);
    for (int d = 0; d < docs && out.size() < limit; d++) {
      float[] doc = unit(rnd, dim);
      int variants = rnd.nextDouble() < 0.3 ? 1 : 2 + rnd.nextInt(4);
      for (int x = 0; x < variants && out.size() < limit; x++) {
        double wVariant = x == 0 ? 0 : 0.005 + rnd.nextDouble() * 0.045;
        double wDoc = 1 - 0.5 - 0.2 - wFamily - wVariant;
        float[] v = new float[dim];
        float[] noise = unit(rnd, dim);
        for (int k = 0; k < dim; k++) {
          v[k] = (float) (Math.sqrt(0.5) * common[k] + Math.sqrt(0.2) * topic[k] + Math.sqrt(wFamily) * family[k]
              + Math.sqrt(wDoc) * doc[k] + Math.sqrt(wVariant) * noise[k]);
        }
        out.add(normalise(v));
      }
    }
    return out;
  }

  static float[] unit(Random rnd, int dim) {
    float[] x = new float[dim];
    for (int k = 0; k < dim; k++) x[k] = (float) rnd.nextGaussian();
    return normalise(x);
  }

  private static float[] normalise(float[] x) {
    double s = 0;
    for (float f : x) s += f * f;
    float inv = (float) (1 / Math.sqrt(s));
    for (int k = 0; k < x.length; k++) x[k] *= inv;
    return x;
  }
}
