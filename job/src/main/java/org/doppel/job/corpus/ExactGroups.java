package org.doppel.job.corpus;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.doppel.job.data.DocumentRow;
import scala.Tuple2;

/**
 * Documents with the same normalised text (same bytes included) form one exact group; each group's text is
 * embedded once, from its first member by path (the representative). Both stay distributed, keyed by text hash.
 *
 * @param members         every readable document (without text) by its text's hash
 * @param representatives each distinct text's hash with the id of the document it is embedded from
 */
public record ExactGroups(JavaPairRDD<String, DocumentRow> members, JavaPairRDD<String, String> representatives) {

  public static ExactGroups of(JavaRDD<DocumentRow> docs) {
    JavaPairRDD<String, DocumentRow> members = docs.filter(DocumentRow::isOk)
        .mapToPair(d -> new Tuple2<>(d.textSha256(), d));
    JavaPairRDD<String, String> representatives = members
        .reduceByKey((a, b) -> a.path().compareTo(b.path()) <= 0 ? a : b)
        .mapValues(DocumentRow::docId)
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new ExactGroups(members, representatives);
  }

  public long distinctTexts() {
    return representatives.count();
  }

  public void release() {
    representatives.unpersist();
  }
}
