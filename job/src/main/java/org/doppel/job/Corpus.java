package org.doppel.job;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.doppel.job.corpus.Embedding;
import org.doppel.job.corpus.ExactGroups;
import org.doppel.job.corpus.Extraction;
import org.doppel.job.corpus.FileLister;
import org.doppel.job.corpus.TextTables;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.EmbeddedText;
import org.doppel.job.data.InputFile;
import org.doppel.job.data.TextVector;
import org.doppel.job.state.FileChanges;
import org.doppel.job.state.PreviousState;
import org.doppel.model.EmbedderRuntime;

/**
 * The first stages every command shares: files -> documents (cached on the executors, with their text) -> exact
 * groups -> one embedding per distinct text. With a previous run's state, only new and changed files are extracted
 * and only texts the state lacks are embedded; the rest is reused, so every later stage sees all documents and texts
 * as a full run would. Everything stays distributed: the driver holds the file listing and counts.
 *
 * @param documents the rows extracted this run, with their text
 * @param docs      every document (reused and extracted), without text
 * @param files     input files listed
 * @param tables    the --text-table rows read as documents (in {@code documents} and {@code docs}) and their
 *                  other columns
 */
public record Corpus(JavaRDD<DocumentRow> documents, JavaRDD<DocumentRow> docs, ExactGroups groups,
                     PreviousState previous, FileChanges changes, long files, TextTables tables) {

  /**
   * Distinct texts with their window and document vectors, cached on the executors. {@code runtimes}: the distinct
   * devices, dtypes and batch limits the executors' embedders used; {@code textsEmbedded}/{@code tokensEmbedded}: the
   * work this run did (the other texts came from the state).
   */
  public record Embedded(JavaRDD<EmbeddedText> texts, JavaRDD<TextVector> vectors, long distinctTexts,
                         List<String> runtimes, long textsEmbedded, long tokensEmbedded) {}

  public static Corpus extract(JobContext ctx) throws IOException {
    return extract(ctx, PreviousState.OFF);
  }

  public static Corpus extract(JobContext ctx, PreviousState previous) throws IOException {
    ctx.progress().start("list");
    TextTables tables = TextTables.load(ctx.spark(), ctx.cfg(), ctx.err());
    List<InputFile> listed = tables.prefixed(
        FileLister.list(ctx.cfg().inputs(), ctx.cfg().files(), ctx.cfg().excludes()), ctx.cfg());
    ctx.seconds().put("list", ctx.progress().done(listed.size(), "files"));

    ctx.progress().start("extract");
    JavaRDD<InputFile> files = ctx.jsc().parallelize(listed, Math.max(1, Math.min(listed.size(), ctx.partitions())));
    FileChanges changes = FileChanges.detect(ctx.jsc(), files, tables.withoutRows(previous), ctx.spark());
    long toExtract = changes.counts().newFiles() + changes.counts().changed() + changes.counts().retried();
    JavaRDD<DocumentRow> documents = tables.addRowsTo(Extraction.extract(changes.toExtract(), ctx.cfg().extractor()),
        ctx.cfg().extractor().maxChars()).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<DocumentRow> docs = documents.map(DocumentRow::withoutText).union(changes.reused())
        .persist(StorageLevel.MEMORY_AND_DISK());
    long rows = docs.count();
    ExactGroups groups = ExactGroups.of(docs);
    ctx.seconds().put("extract", ctx.progress().done(toExtract, "files extracted"));
    return new Corpus(documents, docs, groups, previous, changes, listed.size(), tables);
  }

  public Embedded embed(JobContext ctx) {
    ctx.progress().start("embed");
    JavaPairRDD<String, String> toEmbed = groups.representatives();
    JavaRDD<EmbeddedText> fromState = null;
    if (previous.stored()) {
      JavaPairRDD<String, Boolean> stored = previous.textHashes(ctx.spark()).mapToPair(t -> new scala.Tuple2<>(t, Boolean.TRUE));
      fromState = previous.texts(ctx.spark(), groups.representatives());
      toEmbed = toEmbed.subtractByKey(stored);
    }
    toEmbed = toEmbed.persist(StorageLevel.MEMORY_AND_DISK());
    long count = toEmbed.count();
    CollectionAccumulator<String> runtimes = ctx.spark().sparkContext().collectionAccumulator("embedder runtimes");
    LongAccumulator tokens = ctx.spark().sparkContext().longAccumulator("tokens embedded");
    JavaRDD<EmbeddedText> fresh = Embedding.embed(documents, toEmbed, count, ctx.cfg().embedder(), ctx.partitions(),
        runtimes, tokens);
    JavaRDD<EmbeddedText> texts = (fromState == null ? fresh : fresh.union(fromState)).persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<TextVector> vectors = texts.map(TextVector::of).persist(StorageLevel.MEMORY_AND_DISK());
    long distinct = vectors.count();
    toEmbed.unpersist();
    ctx.seconds().put("embed", ctx.progress().done(count, "texts embedded"));
    List<String> used = List.copyOf(new TreeSet<>(runtimes.value()));
    // --device auto where a GPU was expected (cluster executors, a GPU Spark assigned, a CUDA libtorch): one line
    used.stream().filter(r -> r.contains(EmbedderRuntime.FALLBACK)).findFirst().ifPresent(r ->
        System.err.println("doppel: " + r.substring(r.indexOf(EmbedderRuntime.FALLBACK))));
    return new Embedded(texts, vectors, distinct, used, count, tokens.value());
  }

  /** Frees what the stages cached on the executors. */
  public void release(Embedded embedded) {
    documents.unpersist();
    docs.unpersist();
    groups.release();
    embedded.texts().unpersist();
    embedded.vectors().unpersist();
  }
}
