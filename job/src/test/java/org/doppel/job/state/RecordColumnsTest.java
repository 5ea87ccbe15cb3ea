package org.doppel.job.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.exec.SparkSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records through real Parquet by column name: every supported type survives; a stored row lacking a field is caught. */
class RecordColumnsTest {
  record Sketchy(String docId, int chars, long sizeBytes, double score, boolean keep, int[] minhash, long[] bits,
                 float[] vector, String text) {}

  record Grown(String docId, int chars, String parent) {}

  record Old(String docId, int chars) {}

  @TempDir
  Path tmp;

  @Test
  void roundTripThroughParquetAndMissingColumns() {
    SparkSession spark = SparkSessions.create("local[2]", "doppel-test");
    RecordColumns<Sketchy> cols = new RecordColumns<>(Sketchy.class, Set.of("text"));
    assertEquals(List.of("doc_id", "chars", "size_bytes", "score", "keep", "minhash", "bits", "vector"),
        List.of(cols.schema().fieldNames()));
    Sketchy s = new Sketchy("abc", 7, 1L << 40, 0.25, true, new int[] {3, -1}, new long[] {Long.MAX_VALUE},
        new float[] {0.5f, -2f}, "not stored");
    String uri = tmp.resolve("t.parquet").toUri().toString();
    spark.createDataFrame(List.of(cols.toRow(s)), cols.schema()).write().parquet(uri);
    Dataset<Row> stored = spark.read().parquet(uri);
    Sketchy back = cols.fromRow(stored.collectAsList().get(0));
    assertEquals(List.of(s.docId(), s.chars(), s.sizeBytes(), s.score(), s.keep()),
        List.of(back.docId(), back.chars(), back.sizeBytes(), back.score(), back.keep()));
    assertArrayEquals(s.minhash(), back.minhash());
    assertArrayEquals(s.bits(), back.bits());
    assertArrayEquals(s.vector(), back.vector());
    assertNull(back.text(), "skipped components are not stored");

    RecordColumns<Old> old = new RecordColumns<>(Old.class, Set.of());
    String oldUri = tmp.resolve("old.parquet").toUri().toString();
    spark.createDataFrame(List.of(old.toRow(new Old("x", 1))), old.schema()).write().parquet(oldUri);
    assertEquals(List.of("parent"), new RecordColumns<>(Grown.class, Set.of()).missingColumns(spark.read().parquet(oldUri).schema()));
    assertEquals(List.of(), old.missingColumns(stored.schema()), "extra stored columns are ignored");
  }
}
