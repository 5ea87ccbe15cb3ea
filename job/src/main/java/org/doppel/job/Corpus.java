package org.doppel.job;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The first stages every command shares: files -> documents (cached on the executors, with their text)
 * -> exact groups (on the driver, metadata only) -> one embedding per distinct text.
 */
public record Corpus(List<InputFile> files, JavaRDD<DocumentRow> documents, List<DocumentRow> docs, ExactGroups groups) {

  /**
   * Distinct texts with their vectors: window vectors stay cached on the executors, document vectors come to the driver;
   * runtimes = the distinct devices, dtypes and batch limits the executors' embedders used.
   */
  public record Embedded(JavaRDD<EmbeddedText> texts, List<TextVector> vectors, List<String> runtimes) {}

  public static Corpus extract(JobContext ctx) throws IOException {
    ctx.progress().start("list");
    List<InputFile> files = FileLister.list(ctx.cfg().inputs(), ctx.cfg().excludes());
    ctx.seconds().put("list", ctx.progress().done(files.size(), "files"));

    ctx.progress().start("extract");
    JavaRDD<DocumentRow> documents = Extraction.extract(ctx.jsc(), files, ctx.cfg().extractor(), ctx.partitions())
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<DocumentRow> docs = documents.map(DocumentRow::withoutText).collect();
    ExactGroups groups = new ExactGroups(docs.stream().filter(DocumentRow::isOk).toList());
    ctx.seconds().put("extract", ctx.progress().done(docs.size(), "documents"));
    return new Corpus(files, documents, docs, groups);
  }

  public Embedded embed(JobContext ctx) {
    ctx.progress().start("embed");
    CollectionAccumulator<String> runtimes = ctx.spark().sparkContext().collectionAccumulator("embedder runtimes");
    JavaRDD<EmbeddedText> texts = Embedding.embed(ctx.jsc(), documents, groups.representativeIds(), ctx.cfg().embedder(),
        ctx.partitions(), runtimes).persist(StorageLevel.MEMORY_AND_DISK());
    List<TextVector> vectors = texts.map(TextVector::of).collect();
    ctx.seconds().put("embed", ctx.progress().done(vectors.size(), "texts"));
    return new Embedded(texts, vectors, List.copyOf(new TreeSet<>(runtimes.value())));
  }

  /** Frees what the stages cached on the executors. */
  public void release(Embedded embedded) {
    documents.unpersist();
    embedded.texts().unpersist();
  }
}
