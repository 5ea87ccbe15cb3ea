package org.doppel.job.state;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.changes.Previous;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.EmbeddedText;
import scala.Tuple2;

/**
 * What an earlier run left for this one: its document rows (without texts), the hashes of the distinct texts it
 * embedded, and when it looked at the files. Read lazily from the state folder on the executors; the driver holds
 * only where they are. Empty for a full run.
 *
 * @param use how the state was used, for the summary: {@code off} (no --state), {@code new} (nothing stored yet),
 *     {@code reused}, or {@code discarded: why}
 * @param docs the stored document rows, or null when there are none
 * @param textsUri where the stored texts and vectors are (Parquet); null when there are none
 * @param listedAtMs when the earlier run started, i.e. no later than it read any file's size and time
 * @param report what the earlier run reported, for {@link org.doppel.job.changes.Changes}; null when not kept
 */
public record PreviousState(String use, JavaRDD<DocumentRow> docs, String textsUri, long listedAtMs, Previous report) {

  public static final PreviousState OFF = empty("off");

  static PreviousState empty(String use) {
    return new PreviousState(use, null, null, 0, null);
  }

  /** The same state with the last run's report to compare with. */
  PreviousState withReport(Previous r) {
    return new PreviousState(use, docs, textsUri, listedAtMs, r);
  }

  /** Whether there is anything stored to reuse. */
  public boolean stored() {
    return docs != null;
  }

  /** The hashes of the stored texts. */
  public JavaRDD<String> textHashes(SparkSession spark) {
    return spark.read().schema(TextRows.SCHEMA).parquet(textsUri).select("text_sha256").javaRDD().map(r -> r.getString(0));
  }

  /** The stored texts among the keys of {@code wanted}, read on the executors. */
  public JavaRDD<EmbeddedText> texts(SparkSession spark, JavaPairRDD<String, ?> wanted) {
    JavaPairRDD<String, EmbeddedText> stored = TextRows.read(spark, textsUri).mapToPair(t -> new Tuple2<>(t.textSha256(), t));
    return stored.join(wanted).values().map(Tuple2::_1);
  }
}
