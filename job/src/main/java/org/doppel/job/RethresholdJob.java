package org.doppel.job;

import org.doppel.job.storage.Location;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.cluster.Clusters;
import org.doppel.job.corpus.ExactGroups;
import org.doppel.job.corpus.TextTables;
import org.doppel.job.data.TextVector;
import org.doppel.job.decide.PairRow;
import org.doppel.job.decide.Pairs;
import org.doppel.job.decide.PassageAligner;
import org.doppel.job.decide.TextPair;
import org.doppel.job.output.RunId;
import org.doppel.job.report.ReportTables;
import org.doppel.job.report.ReportWriter;
import org.doppel.job.state.ReportEvidence;
import scala.Tuple2;

/**
 * {@code doppel rethreshold REPORT_DIR --threshold T --out DIR}: a report at a higher threshold from the evidence of
 * one made at a lower one, without extracting or embedding. A fresh run's candidates do not depend on the threshold
 * and its decision keeps the candidates scoring at least T, so the report's non-exact pairs (those at the lower
 * threshold) are decided again by the same stages ({@link PassageAligner}, {@link Pairs}, {@link Clusters}), with
 * the same decision and corpus background; exact groups come from the documents. The result equals a fresh run at T.
 */
public final class RethresholdJob {
  /** Summary values recomputed here; the rest (inputs, model, corpus counts, background) are the source report's. */
  private static final List<String> RECOMPUTED = List.of("run_id", "finished_at", "report_dir", "pairs", "pairs_exact",
      "pairs_lexical", "pairs_semantic", "pairs_both", "clusters", "clustered_documents", "threshold", "keep", "master",
      "stage_seconds", "total_seconds", "versions");

  private RethresholdJob() {}

  /** The summary.json of the report in {@code from}, in its order. */
  public static Map<String, Object> summaryOf(Location from) throws IOException {
    return new ObjectMapper().readValue(from.resolve("summary.json").readString(),
        new TypeReference<LinkedHashMap<String, Object>>() {});
  }

  /**
   * @param before the report's summary ({@link #summaryOf})
   * @param cfg the output, threshold, keep policy and html size; its decision is replaced by the report's
   */
  public static RunSummary run(SparkSession spark, Location from, Map<String, Object> before, RunConfig cfg, PrintStream err)
      throws IOException {
    return JobContext.run(spark, cfg, RunId.next(), err, ctx -> stages(ctx, from, before));
  }

  private static RunSummary stages(JobContext ctx, Location from, Map<String, Object> before) throws IOException {
    RunConfig cfg = ctx.cfg();
    ctx.progress().start("read");
    ReportEvidence.Read evidence = ReportEvidence.read(ctx.spark(), from);
    JavaRDD<org.doppel.job.data.DocumentRow> docs = evidence.docs().persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<org.doppel.job.data.EmbeddedText> texts = evidence.texts().persist(StorageLevel.MEMORY_AND_DISK());
    ctx.seconds().put("read", ctx.progress().done(texts.count(), "texts"));

    ctx.progress().start("pairs");
    JavaPairRDD<String, String> textOf = docs.filter(d -> d.isOk()).mapToPair(d -> new Tuple2<>(d.docId(), d.textSha256()));
    JavaRDD<Tuple2<String, String>> candidates = ctx.spark().read().parquet(from.resolve("pairs.parquet").uri())
        .filter(col("method").notEqual(PairRow.EXACT)).select("doc_a", "doc_b").javaRDD()
        .mapToPair(r -> new Tuple2<>(r.getString(0), r.getString(1))).join(textOf)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1(), kv._2()._2())).join(textOf)
        .map(kv -> new Tuple2<>(kv._2()._1(), kv._2()._2())).distinct();
    JavaRDD<TextPair> decided = PassageAligner.decide(candidates, texts, evidence.decision(), cfg.threshold());
    ExactGroups groups = ExactGroups.of(docs);
    JavaRDD<PairRow> pairs = Pairs.of(groups, decided, texts, evidence.decision(), cfg.threshold())
        .persist(StorageLevel.MEMORY_AND_DISK());
    ctx.seconds().put("pairs", ctx.progress().done(pairs.count(), "pairs"));

    ctx.progress().start("clusters");
    JavaRDD<ClusterRow> clusters = Clusters.of(pairs, docs, texts.map(TextVector::of), cfg.keep(), evidence.decision(),
        ctx.partitions()).persist(StorageLevel.MEMORY_AND_DISK());
    ctx.seconds().put("clusters", ctx.progress().done(clusters.filter(ClusterRow::keep).count(), "clusters"));

    ctx.progress().start("write");
    // every text's window and token counts, for the documents table (the evidence holds only the paired texts)
    JavaRDD<TextVector> counts = ctx.spark().read().parquet(from.resolve("documents.parquet").uri())
        .filter(col("text_sha256").isNotNull()).select("text_sha256", "chunks", "tokens").distinct().javaRDD()
        .map(r -> new TextVector(r.getString(0), null, r.getInt(1), r.getInt(2)));
    ReportWriter writer = new ReportWriter(ctx.out().begin());
    writer.write(ReportTables.documents(ctx.spark(), docs, counts, clusters, // with a --text-table's other columns
        TextTables.extraColumnsOf(ctx.spark(), from.resolve("documents.parquet").uri())));
    writer.write(ReportTables.pairs(ctx.spark(), pairs));
    writer.write(ReportTables.clusters(ctx.spark(), clusters));
    ReportEvidence.write(ctx.spark(), writer.dir(), docs, texts, pairs, evidence.decision(), cfg.threshold());
    ctx.seconds().put("write", ctx.progress().done(3, "reports"));

    RunSummary fresh = RunSummary.of(ctx, RunSummary.Counts.of(docs, counts, pairs, clusters));
    Map<String, Object> values = new LinkedHashMap<>(before);
    values.remove("changes"); // a rethreshold compares with no earlier run
    for (String key : RECOMPUTED) values.put(key, fresh.toMap().get(key));
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("report", from.localPath() != null ? from.localPath().toAbsolutePath().normalize().toString() : from.toString());
    source.put("run_id", before.get("run_id"));
    source.put("threshold", evidence.threshold());
    values.put("rethreshold_of", source);
    RunSummary summary = new RunSummary(values);
    writer.writeSummary(summary.toMap());
    HtmlStage.write(ctx, writer.dir(), summary, docs, pairs, clusters, texts);
    groups.release();
    for (JavaRDD<?> r : List.of(docs, texts, pairs, clusters)) r.unpersist();
    return summary;
  }
}
