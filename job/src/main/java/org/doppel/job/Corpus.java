package org.doppel.job;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * The first stages every command shares: files -> documents (cached on the executors, with their text)
 * -> exact groups (on the driver, metadata only) -> one embedding per distinct text (lazy).
 */
public record Corpus(List<InputFile> files, JavaRDD<DocumentRow> documents, List<DocumentRow> docs, ExactGroups groups) {

  public static Corpus extract(JavaSparkContext jsc, RunConfig cfg, int partitions, Progress progress,
                               Map<String, Double> seconds) throws IOException {
    progress.start("list");
    List<InputFile> files = FileLister.list(cfg.inputs(), cfg.excludes());
    seconds.put("list", progress.done(files.size(), "files"));

    progress.start("extract");
    JavaRDD<DocumentRow> documents = Extraction.extract(jsc, files, cfg.extractor(), partitions)
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<DocumentRow> docs = documents.map(DocumentRow::withoutText).collect();
    ExactGroups groups = new ExactGroups(docs.stream().filter(DocumentRow::isOk).toList());
    seconds.put("extract", progress.done(docs.size(), "files"));
    return new Corpus(files, documents, docs, groups);
  }

  /** Window and document vectors of every distinct text (lazy: runs when first used; cached after). */
  public JavaRDD<EmbeddedText> embed(JavaSparkContext jsc, RunConfig cfg, int partitions) {
    return Embedding.embed(jsc, documents, groups.representativeIds(), cfg.embedder(), partitions)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }
}
