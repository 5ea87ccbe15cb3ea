package org.doppel.job.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.doppel.job.SparkTestSession;
import org.doppel.job.data.TextTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check before a run, on real files through Spark and Hadoop: formats from names (a gzipped JSONL file, folders of
 * Spark's JSON and Parquet part files), columns found ignoring case, and the one-line problems (both formats in one
 * folder, a numeric text column, a blank file); table names from paths.
 */
class TextTablesTest {
  @TempDir
  Path tmp;

  @Test
  void formatsAndColumnsFromTheSchemaAlone() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Path gz = tmp.resolve("notes.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write("{\"ID\": 1, \"text\": \"one\"}\n\n{\"ID\": 2, \"text\": \"two\", \"extra\": true}\n".getBytes(StandardCharsets.UTF_8));
    }
    TextTable t = TextTables.check(spark, TextTable.parse(gz.toString(), TextTable.AUTO, "id", "text"));
    assertEquals("notes", t.name());
    assertEquals(TextTable.JSONL, t.format());
    assertEquals("ID", t.idColumn(), "found ignoring case, kept as the table spells it");

    StructType schema = DataTypes.createStructType(List.of(DataTypes.createStructField("id", DataTypes.LongType, true),
        DataTypes.createStructField("text", DataTypes.StringType, true),
        DataTypes.createStructField("n", DataTypes.IntegerType, true)));
    List<Row> rows = List.of(RowFactory.create(1L, "a", 1), RowFactory.create(2L, "b", 2));
    Path json = tmp.resolve("exported");
    spark.createDataFrame(rows, schema).write().json(json.toString());
    assertEquals(TextTable.JSONL, TextTables.check(spark, TextTable.parse(json.toString(), TextTable.AUTO, "id", "text")).format(),
        "a folder of part-*.json files (and _SUCCESS)");
    Path parquet = tmp.resolve("exported-parquet");
    spark.createDataFrame(rows, schema).write().parquet(parquet.toString());
    assertEquals(TextTable.PARQUET,
        TextTables.check(spark, TextTable.parse(parquet.toString(), TextTable.AUTO, "id", "text")).format());

    assertProblem(spark, parquet.toString(), "id", "n", "holds int, not text");
    Files.copy(gz, parquet.resolve("stray.jsonl.gz"));
    assertProblem(spark, parquet.toString(), "id", "text", "holds both Parquet and JSON files");
    Path blank = Files.writeString(tmp.resolve("blank.jsonl"), "\n  \n");
    assertProblem(spark, blank.toString(), "id", "text", "holds no JSON lines");
    Path notJson = Files.writeString(tmp.resolve("pretty.json"), "{\n  \"id\": 1,\n  \"text\": \"x\"\n}\n");
    assertProblem(spark, notJson.toString(), "id", "text", "has no column 'id' (--id-column); its columns: _corrupt_record");
  }

  @Test
  void namesFromPaths() {
    assertEquals("articles", TextTable.parse("s3a://bucket/data/articles.parquet", TextTable.AUTO, "id", "text").name());
    assertEquals("texts", TextTable.parse("hdfs://nn:8020/warehouse/texts/", TextTable.AUTO, "id", "text").name());
    assertEquals("a", TextTable.parse("a=hdfs://nn/x/part-0.parquet", TextTable.AUTO, "id", "text").name());
    assertEquals("hdfs://nn/x/part-0.parquet", TextTable.parse("a=hdfs://nn/x/part-0.parquet", TextTable.AUTO, "id", "text").location());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TextTable.parse("s3a://bucket/*.parquet", TextTable.AUTO, "id", "text"));
    assertTrue(e.getMessage().contains("name it"), e.getMessage());
  }

  private static void assertProblem(SparkSession spark, String location, String id, String text, String fragment) {
    TextTables.Unusable e = assertThrows(TextTables.Unusable.class,
        () -> TextTables.check(spark, TextTable.parse(location, TextTable.AUTO, id, text)));
    assertTrue(e.getMessage().startsWith("--text-table " + location) && e.getMessage().contains(fragment), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }
}
