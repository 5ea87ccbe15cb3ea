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
import org.apache.spark.sql.SparkSession;
import org.doppel.job.state.PreviousState;

/** What a run did, for summary.json and the closing lines on stderr. */
public record RunSummary(Map<String, Object> values) implements Serializable {

  static RunSummary of(JobContext ctx, List<DocumentRow> docs, ExactGroups groups, List<TextVector> vectors,
                       List<PairRow> pairs, List<ClusterRow> clusters) {
    RunConfig cfg = ctx.cfg();
    SparkSession spark = ctx.spark();
    Map<String, Double> seconds = ctx.seconds();
    Map<String, Long> byStatus = new TreeMap<>();
    for (DocumentRow d : docs) byStatus.merge(d.status(), 1L, Long::sum);
    long tokens = vectors.stream().mapToLong(TextVector::tokens).sum();
    long chunks = vectors.stream().mapToLong(TextVector::chunks).sum();
    double embedSecs = seconds.getOrDefault("embed", 0.0);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", ctx.out().runId());
    m.put("finished_at", Instant.now().toString());
    m.put("inputs", cfg.inputs());
    m.put("report_dir", cfg.out().toAbsolutePath().normalize().toString());
    long embedded = docs.stream().filter(d -> d.parent() != null).count();
    m.put("files", docs.size() - embedded);
    m.put("embedded_documents", embedded);
    m.put("status_counts", byStatus);
    m.put("distinct_texts", groups.distinctTexts());
    m.put("chunks", chunks);
    m.put("tokens", tokens);
    m.put("pairs", pairs.size());
    m.put("pairs_exact", pairs.stream().filter(p -> PairRow.EXACT.equals(p.method())).count());
    for (String method : List.of(PairRow.LEXICAL, PairRow.SEMANTIC, PairRow.BOTH)) {
      m.put("pairs_" + method, pairs.stream().filter(p -> method.equals(p.method())).count());
    }
    m.put("clusters", clusters.stream().filter(ClusterRow::keep).count());
    m.put("clustered_documents", clusters.size());
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
    m.put("options", cfg.options());
    Map<String, Double> rounded = new LinkedHashMap<>();
    seconds.forEach((k, v) -> rounded.put(k, Math.round(v * 100) / 100.0));
    m.put("stage_seconds", rounded);
    m.put("total_seconds", Math.round(seconds.values().stream().mapToDouble(Double::doubleValue).sum() * 100) / 100.0);
    m.put("embed_texts_per_s", embedSecs > 0 ? round(vectors.size() / embedSecs) : 0);
    m.put("embed_tokens_per_s", embedSecs > 0 ? round(tokens / embedSecs) : 0);
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("doppel", versions().getProperty("doppel", "dev"));
    versions.put("spark", spark.version());
    versions.put("tika", versions().getProperty("tika", "?"));
    versions.put("djl", versions().getProperty("djl", "?"));
    versions.put("pytorch", versions().getProperty("pytorch", "?"));
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
    long tokens = 0;
    for (TextVector v : embedded.vectors()) if (embedded.embeddedTexts().contains(v.textSha256())) tokens += v.tokens();
    int texts = embedded.embeddedTexts().size();
    double embedSecs = seconds.getOrDefault("embed", 0.0);
    values.put("files_extracted", corpus.changes().toExtract().size());
    values.put("texts_embedded", texts);
    values.put("texts_reused", embedded.vectors().size() - texts);
    values.put("tokens_embedded", tokens);
    values.put("embed_texts_per_s", embedSecs > 0 ? round(texts / embedSecs) : 0);
    values.put("embed_tokens_per_s", embedSecs > 0 ? round(tokens / embedSecs) : 0);
    if (corpus.previous() != PreviousState.OFF) {
      Map<String, Object> state = new LinkedHashMap<>();
      state.put("state", corpus.previous().use());
      state.putAll(corpus.changes().counts().toMap());
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

  /** The closing lines on stderr: files per status, pairs, clusters, time per stage, where the reports are. */
  public void print(PrintStream err) {
    err.printf(Locale.ROOT, "done: %s files + %s embedded documents %s; %s distinct texts, %s tokens embedded%n",
        values.get("files"), values.get("embedded_documents"), values.get("status_counts"), values.get("distinct_texts"),
        values.get("tokens"));
    err.printf(Locale.ROOT, "      %s pairs (%s exact, %s lexical, %s semantic, %s both) in %s clusters (%s documents) at threshold %s%n",
        values.get("pairs"), values.get("pairs_exact"), values.get("pairs_lexical"), values.get("pairs_semantic"),
        values.get("pairs_both"), values.get("clusters"),
        values.get("clustered_documents"), values.get("threshold"));
    if (values.get("incremental") instanceof Map<?, ?> inc) {
      err.printf(Locale.ROOT, "      state %s: files %s new, %s changed, %s unchanged, %s retried, %s deleted; "
          + "%s files extracted, %s texts embedded, %s reused%n", inc.get("state"), inc.get("new"), inc.get("changed"),
          inc.get("unchanged"), inc.get("retried"), inc.get("deleted"), values.get("files_extracted"),
          values.get("texts_embedded"), values.get("texts_reused"));
    }
    err.printf(Locale.ROOT, "      stage seconds %s%n", values.get("stage_seconds"));
    err.printf(Locale.ROOT, "      reports in %s%n", values.get("report_dir"));
  }

  private static double round(double x) {
    return Math.round(x * 10) / 10.0;
  }

  public static Properties versions() {
    Properties p = new Properties();
    try (InputStream in = RunSummary.class.getResourceAsStream("/doppel-versions.properties")) {
      if (in != null) p.load(in);
    } catch (IOException ignored) {
      // versions are informational only
    }
    return p;
  }
}
