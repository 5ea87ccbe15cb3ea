package org.doppel.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.output.RunId;
import org.doppel.job.report.ReportWriter;
import org.doppel.job.state.PreviousState;
import org.doppel.job.state.StateSettings;
import org.doppel.job.state.StateStore;
import scala.Tuple2;

/**
 * The pipeline: files -> documents (with lexical sketches) -> exact groups -> chunk vectors -> candidate
 * pairs (semantic and lexical) -> decided pairs with their evidence -> clusters -> reports. Each stage is one class; this one only wires them and times them.
 */
public final class DoppelJob {
  private DoppelJob() {}

  public static RunSummary run(SparkSession spark, RunConfig cfg, PrintStream err) throws IOException {
    return JobContext.run(spark, cfg, RunId.next(), err, ctx -> stages(ctx, null, err));
  }

  /**
   * With {@code stateDir}: reuses what the run that wrote it extracted and embedded, and writes this run's state
   * there, swapped in just after the report (a run that fails leaves both as they were).
   */
  public static RunSummary run(SparkSession spark, RunConfig cfg, Path stateDir, PrintStream err) throws IOException {
    if (stateDir == null) return run(spark, cfg, err);
    String runId = RunId.next();
    StateStore state = new StateStore(stateDir, runId);
    try {
      RunSummary summary = JobContext.run(spark, cfg, runId, err, ctx -> stages(ctx, state, err));
      state.commit();
      return summary;
    } catch (Throwable e) { // Spark's exceptions are checked but undeclared: catch all, rethrow as is
      state.abort();
      throw e;
    }
  }

  private static RunSummary stages(JobContext ctx, StateStore state, PrintStream err) throws IOException {
    JavaSparkContext jsc = ctx.jsc();
    RunConfig cfg = ctx.cfg();
    Progress progress = ctx.progress();
    Map<String, Double> seconds = ctx.seconds();
    long listedAtMs = System.currentTimeMillis();
    StateSettings settings = StateSettings.of(cfg);
    PreviousState previous = PreviousState.OFF;
    if (state != null) {
      progress.start("state");
      previous = state.load(ctx.spark(), settings, err);
      seconds.put("state", progress.done(previous.byPath().size(), "documents"));
    }
    Corpus corpus = Corpus.extract(ctx, previous);
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
    if (state != null) {
      progress.start("state");
      state.write(ctx.spark(), settings, listedAtMs, docs, texts);
      seconds.put("state_write", progress.done(vectors.size(), "texts"));
    }
    RunSummary summary = RunSummary.of(ctx, docs, groups, vectors, pairs, clusters)
        .with("embedder_runtime", embedded.runtimes()).withWork(corpus, embedded, seconds);
    writer.writeSummary(summary.toMap());
    HtmlStage.write(ctx, writer.dir(), summary, docs, pairs, clusters, texts);
    corpus.release(embedded);
    return summary;
  }
}
