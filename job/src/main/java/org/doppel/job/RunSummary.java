package org.doppel.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.TextVector;
import org.doppel.job.decide.PairRow;
import org.doppel.job.exec.SparkSessions;
import org.doppel.job.output.Versions;
import org.doppel.job.state.FileChanges;
import org.doppel.job.state.PreviousState;

/** What a run did, for summary.json and the closing lines on stderr. */
public record RunSummary(Map<String, Object> values) implements Serializable {

  /** Counts over a run's distributed records, computed by Spark (the driver receives the counts only). */
  record Counts(long files, long embeddedDocuments, Map<String, Long> byStatus, long distinctTexts, long chunks,
                long tokens, Map<String, Long> pairsByMethod, long clusters, long clusteredDocuments) {

    static Counts of(JavaRDD<DocumentRow> docs, JavaRDD<TextVector> vectors, JavaRDD<PairRow> pairs,
                     JavaRDD<ClusterRow> clusters) {
      Map<String, Long> byStatus = new TreeMap<>(docs.map(DocumentRow::status).countByValue());
      long embedded = docs.filter(d -> d.parent() != null).count();
      long all = byStatus.values().stream().mapToLong(Long::longValue).sum();
      long[] sizes = vectors.map(v -> new long[] {1, v.chunks(), v.tokens()})
          .fold(new long[3], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
      Map<String, Long> methods = pairs == null ? Map.of() : pairs.map(PairRow::method).countByValue();
      long kept = clusters == null ? 0 : clusters.filter(ClusterRow::keep).count();
      long members = clusters == null ? 0 : clusters.count();
      return new Counts(all - embedded, embedded, byStatus, sizes[0], sizes[1], sizes[2], methods, kept, members);
    }

    long pairs() {
      return pairsByMethod.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  static RunSummary of(JobContext ctx, Counts counts) {
    RunConfig cfg = ctx.cfg();
    SparkSession spark = ctx.spark();
    Map<String, Double> seconds = ctx.seconds();
    double embedSecs = seconds.getOrDefault("embed", 0.0);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", ctx.out().runId());
    m.put("finished_at", Instant.now().toString());
    m.put("inputs", cfg.inputs());
    if (!cfg.files().isEmpty()) m.put("files_listed", cfg.files().size());
    m.put("report_dir", ctx.out().target().toString());
    m.put("files", counts.files());
    m.put("embedded_documents", counts.embeddedDocuments());
    m.put("status_counts", counts.byStatus());
    m.put("distinct_texts", counts.distinctTexts());
    m.put("chunks", counts.chunks());
    m.put("tokens", counts.tokens());
    m.put("pairs", counts.pairs());
    m.put("pairs_exact", counts.pairsByMethod().getOrDefault(PairRow.EXACT, 0L));
    for (String method : List.of(PairRow.LEXICAL, PairRow.SEMANTIC, PairRow.BOTH)) {
      m.put("pairs_" + method, counts.pairsByMethod().getOrDefault(method, 0L));
    }
    m.put("clusters", counts.clusters());
    m.put("clustered_documents", counts.clusteredDocuments());
    long tokens = counts.tokens();
    long texts = counts.distinctTexts();
    m.put("model", cfg.embedder().model() == null ? "bge-small-en-v1.5 (default, shipped)" : cfg.embedder().model());
    m.put("embedder", cfg.embedder().toString());
    m.put("threshold", cfg.threshold());
    Map<String, Object> decision = new LinkedHashMap<>();
    decision.put("fitted_for_model", cfg.decision().model());
    decision.put("version", cfg.decision().version());
    decision.put("candidate_cosine", cfg.decision().candidateCosine());
    decision.put("passage_match", cfg.decision().passageMatch());
    decision.put("guard_cosine", cfg.decision().guardCosine());
    decision.put("guard_containment", cfg.decision().guardContainment());
    m.put("decision", decision);
    m.put("keep", cfg.keep().label());
    m.put("excludes", cfg.excludes());
    m.put("master", spark.sparkContext().master());
    m.put("spark_defaults_filled", SparkSessions.filled(spark));
    m.put("options", cfg.options());
    Map<String, Double> rounded = new LinkedHashMap<>();
    seconds.forEach((k, v) -> rounded.put(k, Math.round(v * 100) / 100.0));
    m.put("stage_seconds", rounded);
    m.put("total_seconds", Math.round(seconds.values().stream().mapToDouble(Double::doubleValue).sum() * 100) / 100.0);
    m.put("embed_texts_per_s", embedSecs > 0 ? round(texts / embedSecs) : 0);
    m.put("embed_tokens_per_s", embedSecs > 0 ? round(tokens / embedSecs) : 0);
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("doppel", Versions.get().getProperty("doppel", "dev"));
    versions.put("spark", spark.version());
    versions.put("tika", Versions.get().getProperty("tika", "?"));
    versions.put("djl", Versions.get().getProperty("djl", "?"));
    versions.put("pytorch", Versions.get().getProperty("pytorch", "?"));
    versions.put("java", System.getProperty("java.version"));
    m.put("versions", versions);
    return new RunSummary(m);
  }

  /** Adds one more value (e.g. what only the executors know) and returns this summary. */
  public RunSummary with(String key, Object value) {
    values.put(key, value);
    return this;
  }

  /**
   * Adds what this run computed itself: files extracted and texts embedded (with {@code --state} the rest was
   * reused), the embedding rates over that work only, and with {@code --state} how the state was used and the files
   * new, changed, unchanged, retried and deleted since the state's run.
   */
  RunSummary withWork(Corpus corpus, Corpus.Embedded embedded, Map<String, Double> seconds) {
    long tokens = embedded.tokensEmbedded();
    long texts = embedded.textsEmbedded();
    double embedSecs = seconds.getOrDefault("embed", 0.0);
    FileChanges.Counts c = corpus.changes().counts();
    values.put("files_extracted", c.newFiles() + c.changed() + c.retried());
    values.put("texts_embedded", texts);
    values.put("texts_reused", embedded.distinctTexts() - texts);
    values.put("tokens_embedded", tokens);
    values.put("embed_texts_per_s", embedSecs > 0 ? round(texts / embedSecs) : 0);
    values.put("embed_tokens_per_s", embedSecs > 0 ? round(tokens / embedSecs) : 0);
    if (corpus.previous() != PreviousState.OFF) {
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("state", corpus.previous().use());
      state.putAll(c.toMap());
      values.put("incremental", state);
    }
    return this;
  }

  public Map<String, Object> toMap() {
    return values;
  }

  public long pairs() {
    return ((Number) values.get("pairs")).longValue();
  }

  /** Pairs not in the previous run's report (every pair when there was none); 0 when changes were not computed. */
  public long newPairs() {
    return values.get("changes") instanceof Map<?, ?> c ? ((Number) c.get("new_pair")).longValue() : 0;
  }

  /**
   * The closing lines on stderr: files per status (for {@code doppel pairs}: vectors read and rows skipped), pairs,
   * clusters, time per stage, where the reports are.
   */
  public void print(PrintStream err) {
    if (Progress.json()) {
      Progress.summary(err, toMap());
      return;
    }
    if (values.containsKey("vectors_source")) { // doppel pairs: vectors in, no files, texts or pair methods
      err.printf(Locale.ROOT, "done: %s vectors of %s dimensions read (%s rows skipped: no id, or a missing, zero or "
          + "wrong-length vector)%n", values.get("vectors"), values.get("dimensions"), values.get("vectors_skipped"));
      err.printf(Locale.ROOT, "      %s pairs (%s search) in %s clusters (%s documents) at cosine >= %s%n",
          values.get("pairs"), values.get("search"), values.get("clusters"), values.get("clustered_documents"),
          values.get("threshold"));
    } else {
      err.printf(Locale.ROOT, "done: %s files + %s%s embedded documents %s; %s distinct texts, %s tokens embedded%n",
          values.get("files"), values.containsKey("table_rows") ? values.get("table_rows") + " table rows + " : "",
          values.get("embedded_documents"), values.get("status_counts"),
          values.get("distinct_texts"), values.get("tokens"));
      err.printf(Locale.ROOT, "      %s pairs (%s exact, %s lexical, %s semantic, %s both) in %s clusters (%s documents) "
          + "at threshold %s%n", values.get("pairs"), values.get("pairs_exact"), values.get("pairs_lexical"),
          values.get("pairs_semantic"), values.get("pairs_both"), values.get("clusters"),
          values.get("clustered_documents"), values.get("threshold"));
    }
    if (values.get("incremental") instanceof Map<?, ?> inc) {
      err.printf(Locale.ROOT, "      state %s: files %s new, %s changed, %s unchanged, %s retried, %s deleted; "
          + "%s files extracted, %s texts embedded, %s reused%n", inc.get("state"), inc.get("new"), inc.get("changed"),
          inc.get("unchanged"), inc.get("retried"), inc.get("deleted"), values.get("files_extracted"),
          values.get("texts_embedded"), values.get("texts_reused"));
    }
    if (values.get("changes") instanceof Map<?, ?> ch) {
      err.printf(Locale.ROOT, "      since %s: %s new pairs, %s gone; %s documents joined a cluster, %s left, %s moved "
          + "(changes.csv)%n", ch.get("previous_run") == null ? "no previous run" : "run " + ch.get("previous_run"),
          ch.get("new_pair"), ch.get("gone_pair"), ch.get("joined_cluster"), ch.get("left_cluster"), ch.get("moved_cluster"));
    }
    err.printf(Locale.ROOT, "      stage seconds %s%n", values.get("stage_seconds"));
    err.printf(Locale.ROOT, "      reports in %s%n", values.get("report_dir"));
  }

  private static double round(double x) {
    return Math.round(x * 10) / 10.0;
  }
}
