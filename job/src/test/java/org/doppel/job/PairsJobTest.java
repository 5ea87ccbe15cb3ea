package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.doppel.job.bench.ClusteredVectors;
import org.doppel.job.candidates.PairSearch;
import org.doppel.job.cluster.KeepPolicy;
import org.doppel.job.decide.PassageAligner;
import org.doppel.job.report.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doppel pairs --vectors}: on precomputed vectors (with rows it must skip), exactly the pairs a brute-force
 * loop finds at the cosine threshold, with their cosine and no lexical evidence; blocked search nearly all of them;
 * clusters whose members all reach the threshold with their kept document.
 */
class PairsJobTest {
  @TempDir
  Path tmp;

  @Test
  void pairsAndClustersFromVectorsAlone() throws Exception {
    SparkSession spark = SparkTestSession.get();
    int n = 600, dim = 32;
    double t = 0.9;
    float[][] v = ClusteredVectors.generate(n, dim, 3);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) rows.add(RowFactory.create("v" + i, "docs/" + i + ".txt", boxed(v[i])));
    rows.add(RowFactory.create("no-vector", "x", null));
    rows.add(RowFactory.create("short", "y", boxed(new float[dim - 1])));
    rows.add(RowFactory.create("zero", "z", boxed(new float[dim])));
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("doc_id", DataTypes.StringType, false),
        DataTypes.createStructField("path", DataTypes.StringType, true),
        DataTypes.createStructField("vector", DataTypes.createArrayType(DataTypes.FloatType), true)));
    Path parquet = tmp.resolve("vectors.parquet");
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(parquet.toString());

    Set<String> truth = new TreeSet<>();
    Map<String, Double> cosine = new HashMap<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = PassageAligner.dot(v[i], v[j]);
        if (s >= t) {
          String key = pairKey("docs/" + i + ".txt", "docs/" + j + ".txt");
          truth.add(key);
          cosine.put(key, s);
        }
      }
    }
    assertTrue(truth.size() > n / 2, "test data must produce many pairs: " + truth.size());

    PairsJob.Source source = new PairsJob.Source(parquet.toString(), "doc_id", "vector", "path");
    for (PairSearch.Mode mode : PairSearch.Mode.values()) {
      if (mode == PairSearch.Mode.AUTO) continue;
      Path out = tmp.resolve("report-" + mode.label());
      RunConfig cfg = RunConfig.builder(List.of(parquet.toString()), out.toString()).threshold(t)
          .keep(KeepPolicy.FIRST_PATH).extractor(null).embedder(null).partitions(4).tileSize(64).htmlPairs(0)
          .search(new PairSearch(mode, 0, 0.5, 0, 5)).build();
      RunSummary summary = PairsJob.run(spark, cfg, source, System.err);
      assertEquals(3L, summary.toMap().get("vectors_skipped"), "no vector, wrong length, all zero");
      assertEquals((long) n, summary.toMap().get("vectors"));
      java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
      summary.print(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
      String lines = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(lines.startsWith("done: " + n + " vectors of " + dim + " dimensions read (3 rows skipped"), lines);
      assertTrue(lines.contains(summary.pairs() + " pairs (" + mode.label() + " search) in "), lines);
      assertTrue(!lines.contains("null"), "a pairs run prints what it has, no full-run counts: " + lines);

      Set<String> found = new TreeSet<>();
      for (Map<String, String> p : Csv.read(out.resolve("pairs.csv"))) {
        String key = pairKey(p.get("path_a"), p.get("path_b"));
        assertTrue(found.add(key), "each pair once: " + key);
        assertEquals("semantic", p.get("method"));
        assertEquals("", p.get("lexical_resemblance"), "no texts, no lexical evidence");
        Double expected = cosine.get(key);
        if (expected != null) assertEquals(expected, Double.parseDouble(p.get("score")), 1e-5);
        else assertTrue(Math.abs(Double.parseDouble(p.get("score")) - t) < 1e-5, "only a pair on the threshold may differ");
      }
      long hit = found.stream().filter(truth::contains).count();
      if (mode == PairSearch.Mode.EXACT) assertEquals(truth, found);
      else assertTrue(hit >= 0.99 * truth.size(), "blocked recall: " + hit + " of " + truth.size());
      for (Map<String, String> c : Csv.read(out.resolve("clusters.csv"))) {
        assertTrue(Double.parseDouble(c.get("score_to_keep")) >= t - 1e-6, "every member reaches its kept document");
      }
      assertEquals(n, Csv.read(out.resolve("documents.csv")).size());
    }
  }

  private static String pairKey(String a, String b) {
    return a.compareTo(b) < 0 ? a + " ~ " + b : b + " ~ " + a;
  }

  private static Float[] boxed(float[] x) {
    Float[] out = new Float[x.length];
    for (int i = 0; i < x.length; i++) out[i] = x[i];
    return out;
  }
}
