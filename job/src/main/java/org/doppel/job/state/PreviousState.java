package org.doppel.job.state;

import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.DocumentRow;
import org.doppel.job.EmbeddedText;

/**
 * What an earlier run left for this one: its document rows by path (without texts), the distinct texts it
 * embedded, and when it looked at the files. Empty for a full run.
 *
 * @param use how the state was used, for the summary: {@code off} (no --state), {@code new} (nothing stored yet),
 *     {@code reused}, or {@code discarded: why}
 * @param textsUri where the stored texts and vectors are (Parquet); null when there are none
 * @param listedAtMs when the earlier run started, i.e. no later than it read any file's size and time
 */
public record PreviousState(String use, Map<String, DocumentRow> byPath, Set<String> texts, String textsUri,
                            long listedAtMs) {

  public static final PreviousState OFF = empty("off");

  static PreviousState empty(String use) {
    return new PreviousState(use, Map.of(), Set.of(), null, 0);
  }

  /** The stored texts among {@code wanted}, read on the executors. */
  public JavaRDD<EmbeddedText> texts(SparkSession spark, Set<String> wanted) {
    Broadcast<Set<String>> keys = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(wanted);
    return spark.read().schema(TextRows.SCHEMA).parquet(textsUri).javaRDD()
        .filter(r -> keys.value().contains(r.getString(0)))
        .map(TextRows::fromRow);
  }
}
