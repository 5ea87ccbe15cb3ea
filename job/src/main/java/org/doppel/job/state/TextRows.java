package org.doppel.job.state;

import org.doppel.job.storage.Location;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.doppel.extractors.LexicalSketch;
import org.doppel.job.data.EmbeddedText;
import org.doppel.model.Chunk;

/**
 * One distinct text as a Parquet row: its text (passages and offsets are cut from it), document vector, every
 * window with its character span, tokens and vector, and its lexical sketch.
 */
final class TextRows {
  static final RecordColumns<LexicalSketch> SKETCH = new RecordColumns<>(LexicalSketch.class, Set.of());
  static final StructType CHUNK = DataTypes.createStructType(List.of(
      DataTypes.createStructField("index", DataTypes.IntegerType, false),
      DataTypes.createStructField("start_char", DataTypes.IntegerType, false),
      DataTypes.createStructField("end_char", DataTypes.IntegerType, false),
      DataTypes.createStructField("tokens", DataTypes.IntegerType, false),
      DataTypes.createStructField("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false)));
  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("text_sha256", DataTypes.StringType, false),
      DataTypes.createStructField("text", DataTypes.StringType, false),
      DataTypes.createStructField("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false),
      DataTypes.createStructField("chunks", DataTypes.createArrayType(CHUNK, false), false),
      DataTypes.createStructField("sketch", SKETCH.schema(), false)));

  private TextRows() {}

  /** Writes the texts as a Parquet dataset at {@code dir}. */
  static void write(SparkSession spark, JavaRDD<EmbeddedText> texts, Location dir) {
    spark.createDataFrame(texts.map(TextRows::toRow), SCHEMA).write().parquet(dir.uri());
  }

  /** The texts of the Parquet dataset at {@code uri}, read on the executors. */
  static JavaRDD<EmbeddedText> read(SparkSession spark, String uri) {
    return spark.read().schema(SCHEMA).parquet(uri).javaRDD().map(TextRows::fromRow);
  }

  static Row toRow(EmbeddedText t) {
    List<Row> chunks = new ArrayList<>(t.chunks().size());
    for (Chunk c : t.chunks()) {
      chunks.add(RowFactory.create(c.index(), c.startChar(), c.endChar(), c.tokens(), boxed(c.vector())));
    }
    return RowFactory.create(t.textSha256(), t.text(), boxed(t.vector()), chunks.toArray(), SKETCH.toRow(t.sketch()));
  }

  static EmbeddedText fromRow(Row r) {
    List<Row> rows = r.getList(r.fieldIndex("chunks"));
    List<Chunk> chunks = new ArrayList<>(rows.size());
    for (Row c : rows) {
      chunks.add(new Chunk(c.getInt(0), c.getInt(1), c.getInt(2), c.getInt(3), floats(c.getList(4))));
    }
    return new EmbeddedText(r.getString(r.fieldIndex("text_sha256")), r.getString(r.fieldIndex("text")),
        floats(r.getList(r.fieldIndex("vector"))), chunks, SKETCH.fromRow(r.getStruct(r.fieldIndex("sketch"))));
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }

  private static float[] floats(List<Float> v) {
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) out[i] = v.get(i);
    return out;
  }
}
