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
import scala.Tuple2;

/**
 * The pipeline: files -> documents (with lexical sketches) -> exact groups -> chunk vectors -> candidate
 * pairs (semantic and lexical) -> decided pairs with their evidence -> clusters -> reports. Each stage is one class; this one only wires them and times them.
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
    Decision decision = cfg.decision();
    JavaRDD<Tuple2<String, String>> candidates = CandidatePairs.of(jsc, vectors, texts, decision, cfg.search(), cfg.tileSize());
    List<TextPair> decided = PassageAligner.decide(candidates, texts, decision, cfg.threshold());
    List<PairRow> pairs = Pairs.of(groups, decided, PassageAligner.identical(jsc, texts, groups.sharedTexts()),
        decision, cfg.threshold());
    seconds.put("pairs", progress.done(pairs.size(), "pairs"));

    progress.start("clusters");
    Map<String, float[]> vectorByText = new HashMap<>();
    for (TextVector v : vectors) vectorByText.put(v.textSha256(), v.vector());
    Map<String, DocumentRow> docsById = new HashMap<>();
    for (DocumentRow d : docs) docsById.put(d.docId(), d);
    List<ClusterRow> clusters = Clusters.of(jsc, pairs, docsById, cfg.keep(), vectorByText, decision);
    seconds.put("clusters", progress.done(clusters.stream().filter(ClusterRow::keep).count(), "clusters"));

    progress.start("write");
    ReportWriter writer = new ReportWriter(ctx.spark(), ctx.out().begin());
    ReportTables tables = new ReportTables(docs, vectors, pairs, clusters);
    writer.write(tables.documents());
    writer.write(tables.pairs());
    writer.write(tables.clusters());
    seconds.put("write", progress.done(3, "reports"));
    RunSummary summary = RunSummary.of(cfg, ctx.spark(), docs, groups, vectors, pairs, clusters, seconds)
        .with("embedder_runtime", embedded.runtimes());
    writer.writeSummary(summary.toMap());
    HtmlStage.write(ctx, writer.dir(), summary, docs, pairs, clusters, texts);
    corpus.release(embedded);
    return summary;
  }
}
