package org.doppel.job;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.report.ReportWriter;

/**
 * The pipeline: files -> documents -> exact groups -> chunk vectors -> pairs -> explained pairs -> clusters
 * -> reports. Each stage is one class; this one only wires them and times them.
 */
public final class DoppelJob {
  private DoppelJob() {}

  public static RunSummary run(SparkSession spark, RunConfig cfg, PrintStream err) throws IOException {
    return JobContext.run(spark, cfg, err, DoppelJob::stages);
  }

  private static RunSummary stages(JobContext ctx) throws IOException {
    JavaSparkContext jsc = ctx.jsc();
    RunConfig cfg = ctx.cfg();
    Progress progress = ctx.progress();
    Map<String, Double> seconds = ctx.seconds();
    Corpus corpus = Corpus.extract(ctx);
    List<DocumentRow> docs = corpus.docs();
    ExactGroups groups = corpus.groups();
    Corpus.Embedded embedded = corpus.embed(ctx);
    JavaRDD<EmbeddedText> texts = embedded.texts();
    List<TextVector> vectors = embedded.vectors();

    progress.start("pairs");
    float[][] matrix = vectors.stream().map(TextVector::vector).toArray(float[][]::new);
    List<TextPair> candidates = cfg.search().pairsAbove(jsc, matrix, cfg.threshold(), cfg.tileSize()).stream()
        .map(h -> new TextPair(vectors.get(h.i()).textSha256(), vectors.get(h.j()).textSha256(), h.score(), null))
        .toList();
    List<TextPair> explained = PassageAligner.explain(jsc, candidates, texts, cfg.threshold());
    List<PairRow> pairs = Pairs.of(groups, explained, PassageAligner.identical(jsc, texts, groups.sharedTexts()),
        cfg.threshold());
    seconds.put("pairs", progress.done(pairs.size(), "pairs"));

    progress.start("clusters");
    Map<String, float[]> vectorByText = new HashMap<>();
    for (TextVector v : vectors) vectorByText.put(v.textSha256(), v.vector());
    Map<String, DocumentRow> docsById = new HashMap<>();
    for (DocumentRow d : docs) docsById.put(d.docId(), d);
    List<ClusterRow> clusters = Clusters.of(jsc, pairs, docsById, cfg.keep(), vectorByText, cfg.threshold());
    seconds.put("clusters", progress.done(clusters.stream().filter(ClusterRow::keep).count(), "clusters"));

    progress.start("write");
    ReportWriter writer = new ReportWriter(ctx.spark(), ctx.out().begin());
    ReportTables tables = new ReportTables(docs, vectors, pairs, clusters);
    writer.write(tables.documents());
    writer.write(tables.pairs());
    writer.write(tables.clusters());
    seconds.put("write", progress.done(3, "reports"));
    RunSummary summary = RunSummary.of(cfg, ctx.spark(), docs, groups, vectors, pairs, clusters, seconds);
    writer.writeSummary(summary.toMap());
    corpus.release(embedded);
    return summary;
  }
}
