package org.doppel.job;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.job.candidates.PairSearch;
import org.doppel.job.cluster.KeepPolicy;
import org.doppel.job.data.TextTable;
import org.doppel.job.decide.Decision;
import org.doppel.job.report.HtmlReport;
import org.doppel.model.EmbedderConfig;

/**
 * Everything one run needs; built by the CLI (or a test) and read by every stage. {@code options} is the
 * effective command configuration (every option's value and where non-default values came from), for
 * summary.json. {@code htmlPairs}: how many pairs report.html shows in detail. {@code files}: files listed by
 * {@code --files-from}, read besides the input folders. {@code tables}: {@code --text-table}s, rows read as documents.
 */
public record RunConfig(List<String> inputs, String out, double threshold, List<String> excludes, KeepPolicy keep,
                        String master, ExtractorConfig extractor, EmbedderConfig embedder, int partitions,
                        int tileSize, Map<String, String> options, Decision decision, int htmlPairs,
                        PairSearch search, List<String> files, List<TextTable> tables) implements Serializable {

  /** The decision parameters shipped for the default model (its default threshold is the default --threshold). */
  public static final Decision DEFAULT_DECISION = Decision.forModel(EmbedderConfig.DEFAULT_MODEL);

  /**
   * PyTorch intra-op threads per executor JVM. libtorch's thread count is process-wide and Spark already
   * runs one task per core, so one thread per task measured fastest (neardup-small, 2 cores: 105 s
   * embedding at 1 thread vs 113 s at libtorch's default of one per core).
   */
  public static final int DEFAULT_TORCH_THREADS = 1;

  public static RunConfig defaults(List<String> inputs, Path out) {
    return defaults(inputs, out.toString());
  }

  /** @param out the report folder: a local path or a Hadoop FileSystem URI */
  public static RunConfig defaults(List<String> inputs, String out) {
    return builder(inputs, out).build();
  }

  /** A run over {@code inputs} into {@code out} with every other field at its default, to be changed by name. */
  public static Builder builder(List<String> inputs, String out) {
    return new Builder(inputs, out);
  }

  /** A builder holding this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(inputs, out);
    b.threshold = threshold;
    b.excludes = excludes;
    b.keep = keep;
    b.master = master;
    b.extractor = extractor;
    b.embedder = embedder;
    b.partitions = partitions;
    b.tileSize = tileSize;
    b.options = options;
    b.decision = decision;
    b.htmlPairs = htmlPairs;
    b.search = search;
    b.files = files;
    b.tables = tables;
    return b;
  }

  public RunConfig withThreshold(double t) {
    return toBuilder().threshold(t).build();
  }

  public RunConfig withMaster(String m) {
    return toBuilder().master(m).build();
  }

  public RunConfig withEmbedder(EmbedderConfig e) {
    return toBuilder().embedder(e).build();
  }

  public RunConfig withDecision(Decision d) {
    return toBuilder().decision(d).build();
  }

  public RunConfig withSearch(PairSearch s) {
    return toBuilder().search(s).build();
  }

  /** The same run with files read from --files-from lists (absolute paths, see {@code corpus.FileLists}). */
  public RunConfig withFiles(List<String> f) {
    return toBuilder().files(f).build();
  }

  /** The same run with --text-table rows read as documents ({@code corpus.TextTables}). */
  public RunConfig withTables(List<TextTable> t) {
    return toBuilder().tables(t).build();
  }

  /** {@link RunConfig} by name; starts from the defaults: the shipped decision and its threshold, largest kept. */
  public static final class Builder {
    private final List<String> inputs;
    private final String out;
    private double threshold = DEFAULT_DECISION.defaultThreshold();
    private List<String> excludes = List.of();
    private KeepPolicy keep = KeepPolicy.LARGEST;
    private String master;
    private ExtractorConfig extractor = ExtractorConfig.defaults();
    private EmbedderConfig embedder = EmbedderConfig.defaults().withThreads(DEFAULT_TORCH_THREADS);
    private int partitions;
    private int tileSize = 1024;
    private Map<String, String> options = Map.of();
    private Decision decision = DEFAULT_DECISION;
    private int htmlPairs = HtmlReport.DEFAULT_PAIRS;
    private PairSearch search = PairSearch.defaults();
    private List<String> files = List.of();
    private List<TextTable> tables = List.of();

    private Builder(List<String> inputs, String out) {
      this.inputs = List.copyOf(inputs);
      this.out = out;
    }

    public Builder threshold(double t) { threshold = t; return this; }

    public Builder excludes(List<String> e) { excludes = List.copyOf(e); return this; }

    public Builder keep(KeepPolicy k) { keep = k; return this; }

    /** Spark master; null = the environment's or {@code local[*]}. */
    public Builder master(String m) { master = m; return this; }

    /** Null for a run without files ({@code pairs}). */
    public Builder extractor(ExtractorConfig e) { extractor = e; return this; }

    /** Null for a run without a model ({@code pairs}). */
    public Builder embedder(EmbedderConfig e) { embedder = e; return this; }

    /** Spark partitions; 0 = 2 x cores. */
    public Builder partitions(int p) { partitions = p; return this; }

    /** Rows per side of a CPU cosine tile. */
    public Builder tileSize(int t) { tileSize = t; return this; }

    public Builder options(Map<String, String> o) { options = o; return this; }

    public Builder decision(Decision d) { decision = d; return this; }

    /** Pairs report.html shows in detail. */
    public Builder htmlPairs(int n) { htmlPairs = n; return this; }

    public Builder search(PairSearch s) { search = s; return this; }

    public Builder files(List<String> f) { files = List.copyOf(f); return this; }

    public Builder tables(List<TextTable> t) { tables = List.copyOf(t); return this; }

    public RunConfig build() {
      return new RunConfig(inputs, out, threshold, excludes, keep, master, extractor, embedder, partitions, tileSize,
          options, decision, htmlPairs, search, files, tables);
    }
  }
}
