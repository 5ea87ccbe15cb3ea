package org.doppel.job;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.doppel.extractors.LexicalSketch;
import org.doppel.job.candidates.PairSearch;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.cluster.Clusters;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.TextVector;
import org.doppel.job.decide.PairEvidence;
import org.doppel.job.decide.PairRow;
import org.doppel.job.output.RunId;
import org.doppel.job.output.Versions;
import org.doppel.job.report.ReportTables;
import org.doppel.job.report.ReportWriter;
import scala.Tuple2;

/**
 * {@code doppel pairs --vectors PATH}: the candidate, decision and cluster stages on vectors computed elsewhere (what
 * {@code doppel embed} writes, or any Parquet with an id and a float-array column), so they can be run and scaled on
 * their own. Without texts the only evidence is the document cosine: a pair is reported when it reaches the
 * threshold, and a cluster member must reach it with its kept document (the first path).
 */
public final class PairsJob {
  /** Where the vectors are and which columns hold what. {@code pathColumn} may be null (the id is the path). */
  public record Source(String path, String idColumn, String vectorColumn, String pathColumn) {}

  private PairsJob() {}

  public static RunSummary run(SparkSession spark, RunConfig cfg, Source source, PrintStream err) throws IOException {
    return JobContext.run(spark, cfg, RunId.next(), err, ctx -> stages(ctx, source));
  }

  private static RunSummary stages(JobContext ctx, Source source) throws IOException {
    RunConfig cfg = ctx.cfg();
    ctx.progress().start("read");
    LongAccumulator skipped = ctx.spark().sparkContext().longAccumulator("vectors skipped");
    JavaPairRDD<DocumentRow, TextVector> rows = read(ctx.spark(), source, ctx.partitions(), skipped)
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<DocumentRow> docs = rows.keys();
    JavaRDD<TextVector> vectors = rows.values();
    long n = rows.count();
    int dim = n == 0 ? 0 : vectors.first().vector().length;
    ctx.seconds().put("read", ctx.progress().done(n, "vectors"));

    ctx.progress().start("pairs");
    double t = cfg.threshold();
    PairSearch.Found found = cfg.search().pairsAbove(vectors, n, t, cfg.tileSize());
    JavaPairRDD<String, DocumentRow> byId = docs.mapToPair(d -> new Tuple2<>(d.docId(), d));
    JavaRDD<PairRow> pairs = found.hits().mapToPair(h -> new Tuple2<>(h.a(), h)).join(byId)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1().b(), kv._2()))
        .join(byId)
        .map(kv -> {
          float score = kv._2()._1()._1().score();
          return PairRow.of(kv._2()._1()._2(), kv._2()._2(), score, PairRow.SEMANTIC, reason(score, t),
              PairEvidence.cosineOnly(score));
        })
        .persist(StorageLevel.MEMORY_AND_DISK());
    long pairCount = pairs.count();
    found.release();
    ctx.seconds().put("pairs", ctx.progress().done(pairCount, "pairs"));

    ctx.progress().start("clusters");
    JavaRDD<ClusterRow> clusters = Clusters.of(pairs, docs, vectors, cfg.keep(),
        cfg.decision().withGuard(t, Double.POSITIVE_INFINITY), ctx.partitions()).persist(StorageLevel.MEMORY_AND_DISK());
    ctx.seconds().put("clusters", ctx.progress().done(clusters.filter(ClusterRow::keep).count(), "clusters"));

    ctx.progress().start("write");
    ReportWriter writer = new ReportWriter(ctx.out().begin());
    writer.write(ReportTables.documents(ctx.spark(), docs, vectors, clusters));
    writer.write(ReportTables.pairs(ctx.spark(), pairs));
    writer.write(ReportTables.clusters(ctx.spark(), clusters));
    ctx.seconds().put("write", ctx.progress().done(3, "reports"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", ctx.out().runId());
    m.put("finished_at", Instant.now().toString());
    m.put("vectors_source", source.path());
    m.put("report_dir", ctx.out().target().toString());
    m.put("vectors", n);
    m.put("vectors_skipped", skipped.value());
    m.put("dimensions", dim);
    m.put("pairs", pairCount);
    m.put("clusters", clusters.filter(ClusterRow::keep).count());
    m.put("clustered_documents", clusters.count());
    m.put("threshold", t);
    m.put("decision", "cosine only (no texts): a pair is reported at cosine >= threshold");
    m.put("search", found.used().label());
    if (found.blocked() != null) {
      m.put("blocks", found.blocked().blocks());
      m.put("largest_block", found.blocked().largestBlock());
      m.put("dot_products", found.blocked().dotProducts());
    }
    m.put("master", ctx.spark().sparkContext().master());
    m.put("options", cfg.options());
    Map<String, Double> rounded = new LinkedHashMap<>();
    ctx.seconds().forEach((k, v) -> rounded.put(k, Math.round(v * 100) / 100.0));
    m.put("stage_seconds", rounded);
    m.put("total_seconds", Math.round(ctx.seconds().values().stream().mapToDouble(Double::doubleValue).sum() * 100) / 100.0);
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("doppel", Versions.get().getProperty("doppel", "dev"));
    versions.put("spark", ctx.spark().version());
    versions.put("java", System.getProperty("java.version"));
    m.put("versions", versions);
    RunSummary summary = new RunSummary(m);
    writer.writeSummary(summary.toMap());
    pairs.unpersist();
    clusters.unpersist();
    rows.unpersist();
    return summary;
  }

  /**
   * The vectors (each normalised to unit length), each with a document row standing for it: its id, its path (the
   * path column, or the id) and status ok. A row without an id, or whose vector is missing, all zero or of another
   * length than the first row's, is skipped and counted.
   */
  static JavaPairRDD<DocumentRow, TextVector> read(SparkSession spark, Source s, int partitions, LongAccumulator skipped) {
    Dataset<Row> ds = spark.read().parquet(s.path());
    ds = s.pathColumn() == null ? ds.select(s.idColumn(), s.vectorColumn())
        : ds.select(s.idColumn(), s.vectorColumn(), s.pathColumn());
    Row first = ds.filter(ds.col(s.vectorColumn()).isNotNull()).head();
    int dim = first == null ? 0 : first.getList(1).size();
    String input = s.path();
    return ds.javaRDD().repartition(Math.max(1, partitions)).flatMapToPair(r -> {
      List<Tuple2<DocumentRow, TextVector>> out = new java.util.ArrayList<>(1);
      List<Object> v = r.isNullAt(1) ? null : r.getList(1);
      if (r.isNullAt(0) || v == null || v.size() != dim || dim == 0) {
        skipped.add(1);
        return out.iterator();
      }
      float[] f = new float[dim];
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        f[d] = ((Number) v.get(d)).floatValue();
        norm += f[d] * (double) f[d];
      }
      if (!(norm > 0) || Double.isInfinite(norm)) {
        skipped.add(1);
        return out.iterator();
      }
      for (int d = 0; d < dim; d++) f[d] /= (float) Math.sqrt(norm);
      String id = String.valueOf(r.get(0));
      String path = r.length() > 2 && !r.isNullAt(2) ? String.valueOf(r.get(2)) : id;
      DocumentRow doc = new DocumentRow(id, input, path, -1, null, id, null, "ok", null, 0, 0, LexicalSketch.EMPTY,
          null, null);
      out.add(new Tuple2<>(doc, new TextVector(id, f, 0, 0)));
      return out.iterator();
    });
  }

  static String reason(double score, double threshold) {
    return String.format(java.util.Locale.ROOT, "cosine %.3f >= %.2f (vectors only: no text to align or compare)",
        score, threshold);
  }
}
