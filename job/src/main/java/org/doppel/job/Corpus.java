package org.doppel.job;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.doppel.job.state.FileChanges;
import org.doppel.job.state.PreviousState;

/**
 * The first stages every command shares: files -> documents (cached on the executors, with their text)
 * -> exact groups (on the driver, metadata only) -> one embedding per distinct text. With a previous run's
 * state, only new and changed files are extracted and only texts the state lacks are embedded; the rest is
 * reused, so every later stage sees all documents and texts as a full run would.
 *
 * @param documents the rows extracted this run, with their text
 * @param docs every document (reused and extracted), in listing order, without text
 */
public record Corpus(List<InputFile> files, JavaRDD<DocumentRow> documents, List<DocumentRow> docs, ExactGroups groups,
                     PreviousState previous, FileChanges changes) {

  /**
   * Distinct texts with their vectors: window vectors stay cached on the executors, document vectors come to the
   * driver. {@code runtimes}: the distinct devices, dtypes and batch limits the executors' embedders used;
   * {@code embeddedTexts}: the texts embedded this run (the others came from the state).
   */
  public record Embedded(JavaRDD<EmbeddedText> texts, List<TextVector> vectors, List<String> runtimes,
                         Set<String> embeddedTexts) {}

  public static Corpus extract(JobContext ctx) throws IOException {
    return extract(ctx, PreviousState.OFF);
  }

  public static Corpus extract(JobContext ctx, PreviousState previous) throws IOException {
    ctx.progress().start("list");
    List<InputFile> files = FileLister.list(ctx.cfg().inputs(), ctx.cfg().excludes());
    ctx.seconds().put("list", ctx.progress().done(files.size(), "files"));

    ctx.progress().start("extract");
    FileChanges changes = FileChanges.detect(ctx.jsc(), files, previous, ctx.partitions());
    JavaRDD<DocumentRow> documents = Extraction.extract(ctx.jsc(), changes.toExtract(), ctx.cfg().extractor(),
        ctx.partitions()).persist(StorageLevel.MEMORY_AND_DISK());
    List<DocumentRow> docs = changes.merge(files, documents.map(DocumentRow::withoutText).collect());
    ExactGroups groups = new ExactGroups(docs.stream().filter(DocumentRow::isOk).toList());
    ctx.seconds().put("extract", ctx.progress().done(changes.toExtract().size(), "files extracted"));
    return new Corpus(files, documents, docs, groups, previous, changes);
  }

  public Embedded embed(JobContext ctx) {
    ctx.progress().start("embed");
    Set<String> toEmbed = new HashSet<>();   // representatives of the texts the state lacks
    Set<String> fromState = new HashSet<>();
    Set<String> embeddedTexts = new HashSet<>();
    for (String id : groups.representativeIds()) {
      String text = groups.textOf(id);
      if (previous.texts().contains(text)) {
        fromState.add(text);
      } else {
        toEmbed.add(id);
        embeddedTexts.add(text);
      }
    }
    CollectionAccumulator<String> runtimes = ctx.spark().sparkContext().collectionAccumulator("embedder runtimes");
    JavaRDD<EmbeddedText> fresh = Embedding.embed(ctx.jsc(), documents, toEmbed, ctx.cfg().embedder(), ctx.partitions(),
        runtimes);
    JavaRDD<EmbeddedText> texts = (fromState.isEmpty() ? fresh : fresh.union(previous.texts(ctx.spark(), fromState)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<TextVector> vectors = texts.map(TextVector::of).collect();
    ctx.seconds().put("embed", ctx.progress().done(embeddedTexts.size(), "texts embedded"));
    return new Embedded(texts, vectors, List.copyOf(new TreeSet<>(runtimes.value())), embeddedTexts);
  }

  /** Frees what the stages cached on the executors. */
  public void release(Embedded embedded) {
    documents.unpersist();
    embedded.texts().unpersist();
  }
}
