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

  /** A run with the default pair search ({@link PairSearch#defaults()}). */
  public RunConfig(List<String> inputs, String out, double threshold, List<String> excludes, KeepPolicy keep, String master,
                   ExtractorConfig extractor, EmbedderConfig embedder, int partitions, int tileSize,
                   Map<String, String> options, Decision decision, int htmlPairs) {
    this(inputs, out, threshold, excludes, keep, master, extractor, embedder, partitions, tileSize, options, decision,
        htmlPairs, PairSearch.defaults(), List.of(), List.of());
  }

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
    return new RunConfig(inputs, out, DEFAULT_DECISION.defaultThreshold(), List.of(), KeepPolicy.LARGEST, null,
        ExtractorConfig.defaults(), EmbedderConfig.defaults().withThreads(DEFAULT_TORCH_THREADS), 0, 1024, Map.of(),
        DEFAULT_DECISION, HtmlReport.DEFAULT_PAIRS);
  }

  public RunConfig withThreshold(double t) {
    return new RunConfig(inputs, out, t, excludes, keep, master, extractor, embedder, partitions, tileSize, options,
        decision, htmlPairs, search, files, tables);
  }

  public RunConfig withMaster(String m) {
    return new RunConfig(inputs, out, threshold, excludes, keep, m, extractor, embedder, partitions, tileSize, options,
        decision, htmlPairs, search, files, tables);
  }

  public RunConfig withEmbedder(EmbedderConfig e) {
    return new RunConfig(inputs, out, threshold, excludes, keep, master, extractor, e, partitions, tileSize, options,
        decision, htmlPairs, search, files, tables);
  }

  public RunConfig withDecision(Decision d) {
    return new RunConfig(inputs, out, threshold, excludes, keep, master, extractor, embedder, partitions, tileSize, options,
        d, htmlPairs, search, files, tables);
  }

  public RunConfig withSearch(PairSearch s) {
    return new RunConfig(inputs, out, threshold, excludes, keep, master, extractor, embedder, partitions, tileSize, options,
        decision, htmlPairs, s, files, tables);
  }

  /** The same run with files read from --files-from lists (absolute paths, see {@code corpus.FileLists}). */
  public RunConfig withFiles(List<String> f) {
    return new RunConfig(inputs, out, threshold, excludes, keep, master, extractor, embedder, partitions, tileSize, options,
        decision, htmlPairs, search, List.copyOf(f), tables);
  }

  /** The same run with --text-table rows read as documents ({@code corpus.TextTables}). */
  public RunConfig withTables(List<TextTable> t) {
    return new RunConfig(inputs, out, threshold, excludes, keep, master, extractor, embedder, partitions, tileSize, options,
        decision, htmlPairs, search, files, List.copyOf(t));
  }
}
