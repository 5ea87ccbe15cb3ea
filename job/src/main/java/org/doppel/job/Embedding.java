package org.doppel.job;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;
import org.doppel.model.ChunkedEmbedder;
import org.doppel.model.DocumentEmbedding;
import org.doppel.model.EmbedderConfig;

/** documents -> chunks -> vectors: each distinct text is embedded once, per partition, by the executor's model. */
public final class Embedding {
  /** Texts handed to the embedder at once; it batches their windows by length. */
  private static final int DOCS_PER_CALL = 32;
  /**
   * Most texts per embedding task. Embedding is nearly all of a run's time, and progress is counted in
   * finished tasks: a few huge tasks would leave the ETA silent for most of the stage.
   */
  static final int TEXTS_PER_TASK = 200;

  private Embedding() {}

  /** @param runtimes collects each embedding task's {@link ChunkedEmbedder#runtime()} (device, dtype, batch limits) */
  public static JavaRDD<EmbeddedText> embed(JavaSparkContext jsc, JavaRDD<DocumentRow> documents, Set<String> representativeIds,
                                            EmbedderConfig config, int partitions, CollectionAccumulator<String> runtimes) {
    Broadcast<Set<String>> reps = jsc.broadcast(representativeIds);
    return documents
        .filter(d -> reps.value().contains(d.docId()))
        .repartition(slices(representativeIds.size(), partitions))
        .mapPartitions(it -> embedPartition(it, config, runtimes));
  }

  /** At least {@code partitions} tasks, more when there are more than {@link #TEXTS_PER_TASK} texts per task. */
  static int slices(int texts, int partitions) {
    return Math.max(Math.max(1, partitions), (int) (((long) texts + TEXTS_PER_TASK - 1) / TEXTS_PER_TASK));
  }

  private static Iterator<EmbeddedText> embedPartition(Iterator<DocumentRow> it, EmbedderConfig config,
                                                       CollectionAccumulator<String> runtimes) {
    List<EmbeddedText> out = new ArrayList<>();
    if (!it.hasNext()) return out.iterator();
    ChunkedEmbedder embedder = PerExecutor.embedder(config);
    runtimes.add(embedder.runtime().toString());
    // A GPU pass takes up to ~1,000 windows: hand it enough texts to fill its batches.
    int perCall = Math.max(DOCS_PER_CALL, embedder.runtime().batchWindows());
    List<DocumentRow> batch = new ArrayList<>(perCall);
    while (it.hasNext()) {
      batch.add(it.next());
      if (batch.size() == perCall || !it.hasNext()) {
        List<String> texts = batch.stream().map(DocumentRow::text).toList();
        List<DocumentEmbedding> vectors = embedder.embed(texts);
        for (int i = 0; i < batch.size(); i++) {
          DocumentRow d = batch.get(i);
          out.add(new EmbeddedText(d.textSha256(), d.text(), vectors.get(i).vector(), vectors.get(i).chunks(), d.sketch()));
        }
        batch.clear();
      }
    }
    return out.iterator();
  }
}
