package org.doppel.job;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.doppel.job.candidates.CandidatePairs;
import org.doppel.job.candidates.LshCandidates;
import org.doppel.job.changes.Changes;
import org.doppel.job.changes.Previous;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.cluster.Clusters;
import org.doppel.job.decide.Background;
import org.doppel.job.decide.Decision;
import org.doppel.job.decide.PairRow;
import org.doppel.job.decide.Pairs;
import org.doppel.job.decide.PassageAligner;
import org.doppel.job.decide.TextPair;
import org.doppel.job.output.RunId;
import org.doppel.job.report.HtmlReport;
import org.doppel.job.report.ReportTables;
import org.doppel.job.report.ReportWriter;
import org.doppel.job.state.PreviousState;
import org.doppel.job.state.ReportEvidence;
import org.doppel.job.state.StateSettings;
import org.doppel.job.state.StateStore;
import org.doppel.job.storage.Location;

/**
 * The pipeline: files -> documents (with lexical sketches) -> exact groups -> chunk vectors -> candidate pairs
 * (semantic and lexical) -> decided pairs with their evidence -> clusters -> reports -> changes since the last run.
 * Each stage is one class and hands the next a distributed dataset; this one only wires them and times them.
 */
public final class DoppelJob {
  private DoppelJob() {}

  public static RunSummary run(SparkSession spark, RunConfig cfg, PrintStream err) throws IOException {
    return run(spark, cfg, null, null, err);
  }

  public static RunSummary run(SparkSession spark, RunConfig cfg, java.nio.file.Path stateDir, PrintStream err)
      throws IOException {
    return run(spark, cfg, stateDir == null ? null : Location.local(stateDir), null, err);
  }

  /**
   * With {@code stateDir}: reuses what the run that wrote it extracted and embedded, and writes this run's state
   * there, swapped in just after the report (a run that fails leaves both as they were); the report's changes are
   * against the run that wrote the state. With {@code previousReport}: the changes are against that report.
   */
  public static RunSummary run(SparkSession spark, RunConfig cfg, Location stateDir, Location previousReport, PrintStream err)
      throws IOException {
    if (stateDir == null) return JobContext.run(spark, cfg, RunId.next(), err, ctx -> stages(ctx, null, previousReport));
    String runId = RunId.next();
    StateStore state = new StateStore(stateDir, runId);
    try {
      RunSummary summary = JobContext.run(spark, cfg, runId, err, ctx -> stages(ctx, state, previousReport));
      state.commit();
      return summary;
    } catch (Throwable e) { // Spark's exceptions are checked but undeclared: catch all, rethrow as is
      state.abort();
      throw e;
    }
  }

  private static RunSummary stages(JobContext ctx, StateStore state, Location previousReport) throws IOException {
    RunConfig cfg = ctx.cfg();
    Progress progress = ctx.progress();
    long listedAtMs = System.currentTimeMillis();
    StateSettings settings = StateSettings.of(cfg.extractor(), cfg.embedder());
    PreviousState previous = PreviousState.OFF;
    if (state != null) {
      progress.start("state");
      previous = state.load(ctx.spark(), settings, ctx.err());
      ctx.seconds().put("state", progress.done(previous.stored() ? 1 : 0, "states"));
    }
    Corpus corpus = Corpus.extract(ctx, previous);
    Corpus.Embedded embedded = corpus.embed(ctx);

    progress.start("pairs");
    Background background = Background.of(embedded.texts());
    Decision decision = background.applyTo(cfg.decision());
    CandidatePairs.Found candidates = CandidatePairs.of(embedded.vectors(), embedded.distinctTexts(), embedded.texts(),
        decision, cfg.search(), cfg.tileSize());
    JavaRDD<TextPair> decided = PassageAligner.decide(candidates.pairs(), embedded.texts(), decision, cfg.threshold());
    JavaRDD<PairRow> pairs = Pairs.of(corpus.groups(), decided, embedded.texts(), decision, cfg.threshold())
        .persist(StorageLevel.MEMORY_AND_DISK());
    long pairCount = pairs.count();
    candidates.semantic().release();
    ctx.seconds().put("pairs", progress.done(pairCount, "pairs"));

    progress.start("clusters");
    JavaRDD<ClusterRow> clusters = Clusters.of(pairs, corpus.docs(), embedded.vectors(), cfg.keep(), decision,
        ctx.partitions()).persist(StorageLevel.MEMORY_AND_DISK());
    ctx.seconds().put("clusters", progress.done(clusters.filter(ClusterRow::keep).count(), "clusters"));

    progress.start("write");
    ReportWriter writer = new ReportWriter(ctx.out().begin());
    writer.write(ReportTables.documents(ctx.spark(), corpus.docs(), embedded.vectors(), clusters,
        corpus.tables().extraColumns()));
    writer.write(ReportTables.pairs(ctx.spark(), pairs));
    writer.write(ReportTables.clusters(ctx.spark(), clusters));
    ReportEvidence.write(ctx.spark(), writer.dir(), corpus.docs(), embedded.texts(), pairs, decision, cfg.threshold());
    Changes.Found changes = null;
    if (state != null || previousReport != null) {
      Previous before = previousReport != null ? Previous.ofReport(ctx.spark(), previousReport) : previous.report();
      changes = Changes.of(ctx.spark(), before, Previous.of(ctx.spark(), writer.dir(), ctx.out().runId(), cfg.threshold()));
      writer.write(changes.table());
    }
    ctx.seconds().put("write", progress.done(changes == null ? 3 : 4, "reports"));
    if (state != null) {
      progress.start("state");
      state.write(ctx.spark(), settings, listedAtMs, corpus.docs(), embedded.texts(), writer.dir(), cfg.threshold());
      ctx.seconds().put("state_write", progress.done(embedded.distinctTexts(), "texts"));
    }
    RunSummary summary = RunSummary.of(ctx, RunSummary.Counts.of(corpus.docs(), embedded.vectors(), pairs, clusters))
        .with("embedder_runtime", embedded.runtimes()).with("candidates", searched(candidates))
        .with("background", background(background, decision)).withWork(corpus, embedded, ctx.seconds());
    corpus.tables().addTo(summary, corpus.docs());
    if (changes != null) summary.with("changes", changes.counts());
    writer.writeSummary(summary.toMap());
    HtmlStage.write(ctx, writer.dir(), summary, corpus.docs(), pairs, clusters, embedded.texts(),
        changes == null ? List.of() : changes.first(HtmlReport.MAX_CHANGE_ROWS));
    pairs.unpersist();
    clusters.unpersist();
    corpus.release(embedded);
    return summary;
  }

  /** What unrelated documents of this corpus score, and whether cosines were judged against it, for summary.json. */
  private static Map<String, Object> background(Background background, Decision decision) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median_cosine", Double.isNaN(background.cosine()) ? null : background.cosine());
    m.put("containment_p95", Double.isNaN(background.containment()) ? null : background.containment());
    m.put("texts_sampled", background.sampled());
    if (decision.background() != null) {
      m.put("fitted_median_cosine", decision.background().cosine());
      m.put("fitted_containment_p95", decision.background().containment());
    }
    m.put("cosines_calibrated", decision.calibratingCosine());
    m.put("lexical_calibrated", decision.calibratingLexical());
    return m;
  }

  /** How the candidates were found, for summary.json. */
  private static Map<String, Object> searched(CandidatePairs.Found found) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("search", found.semantic().used().label());
    if (found.semantic().blocked() != null) {
      m.put("blocks", found.semantic().blocked().blocks());
      m.put("largest_block", found.semantic().blocked().largestBlock());
      m.put("dot_products", found.semantic().blocked().dotProducts());
    }
    m.put("lsh_bucket_cap", LshCandidates.BUCKET_CAP);
    m.put("lsh_buckets_capped", found.lshCapped().value());
    return m;
  }
}
