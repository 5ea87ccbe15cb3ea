package org.doppel.job.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.doppel.job.EmbedJob;
import org.doppel.job.RunConfig;
import org.doppel.job.corpus.TextTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;

/** {@code doppel embed INPUT_DIR... --out DIR}: window and document vectors as Parquet, for reuse elsewhere. */
@Command(name = "embed", mixinStandardHelpOptions = true, versionProvider = DoppelCommand.Version.class,
    exitCodeListHeading = "%nExit codes:%n", exitCodeList = {DoppelCommand.EXIT_OK, DoppelCommand.EXIT_FATAL,
        DoppelCommand.EXIT_USAGE, DoppelCommand.EXIT_BUSY},
    description = "Extract and embed every file; write vectors.parquet (doc_id, path, chunk, start_char, end_char, "
        + "tokens, vector), document_vectors.parquet and documents.parquet/csv.")
public final class EmbedCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CorpusOptions corpus;

  @Override
  public Integer call() throws IOException {
    String problem = corpus.problem(null);
    if (problem != null) return DoppelCommand.usageError(spec, problem);
    RunConfig cfg = RunConfig.builder(corpus.inputs, corpus.out).excludes(corpus.excludes).master(corpus.spark.master)
        .extractor(corpus.extractor()).embedder(corpus.embedder()).partitions(corpus.partitions)
        .options(DoppelCommand.effectiveOptions(spec)).htmlPairs(0).files(corpus.listedFiles).build();
    try {
      return DoppelCommand.withSpark(spec, corpus, null,
          spark -> EmbedJob.run(spark, corpus.tables.applyTo(spark, cfg), System.err));
    } catch (TextTables.Unusable e) { // a --text-table's files, looked at once Spark is up, before any work
      return DoppelCommand.usageError(spec, e.getMessage());
    }
  }
}
