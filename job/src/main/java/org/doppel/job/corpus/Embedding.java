package org.doppel.job.corpus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.EmbeddedText;
import org.doppel.job.exec.PerExecutor;
import org.doppel.model.ChunkedEmbedder;
import org.doppel.model.DocumentEmbedding;
import org.doppel.model.EmbedderConfig;
import scala.Tuple2;

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

  /**
   * Embeds the texts of the representatives named in {@code toEmbed} (text hash -> document id).
   *
   * @param documents the extracted documents, with their texts
   * @param count     how many texts {@code toEmbed} holds (sizes the tasks)
   * @param runtimes  collects each embedding task's {@link ChunkedEmbedder#runtime()} (device, dtype, batch limits)
   * @param tokens    counts the tokens embedded
   */
  public static JavaRDD<EmbeddedText> embed(JavaRDD<DocumentRow> documents, JavaPairRDD<String, String> toEmbed,
                                            long count, EmbedderConfig config, int partitions,
                                            CollectionAccumulator<String> runtimes, LongAccumulator tokens) {
    JavaPairRDD<String, Boolean> ids = toEmbed.mapToPair(kv -> new Tuple2<>(kv._2(), Boolean.TRUE));
    return documents.mapToPair(d -> new Tuple2<>(d.docId(), d))
        .join(ids, slices(count, partitions))
        .values()
        .map(Tuple2::_1)
        .mapPartitions(it -> embedPartition(it, config, runtimes, tokens));
  }

  /** At least {@code partitions} tasks, more when there are more than {@link #TEXTS_PER_TASK} texts per task. */
  static int slices(long texts, int partitions) {
    return Math.max(Math.max(1, partitions), (int) ((texts + TEXTS_PER_TASK - 1) / TEXTS_PER_TASK));
  }

  private static Iterator<EmbeddedText> embedPartition(Iterator<DocumentRow> it, EmbedderConfig config,
                                                       CollectionAccumulator<String> runtimes, LongAccumulator tokens) {
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
          EmbeddedText t = new EmbeddedText(d.textSha256(), d.text(), vectors.get(i).vector(), vectors.get(i).chunks(),
              d.sketch());
          tokens.add(t.tokens());
          out.add(t);
        }
        batch.clear();
      }
    }
    return out.iterator();
  }
}
