package org.doppel.job.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage servers the end-to-end storage tests run against, each started, used through Hadoop's FileSystem API
 * and from a real local Spark session (Parquet written and read back), and stopped.
 */
class StorageServersTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run keeps the servers' logs and data
  java.nio.file.Path temp;

  @Test
  void miniHdfsServesFilesAndSparkParquet() throws Exception {
    try (MiniHdfs hdfs = MiniHdfs.start(temp)) {
      assertTrue(hdfs.uri().toString().matches("hdfs://localhost:\\d+"), hdfs.uri().toString());
      try (FileSystem fs = FileSystem.newInstance(hdfs.uri(), hdfs.configuration())) {
        assertEquals("hdfs", fs.getScheme());
        fileSystemRoundTrip(fs, new Path(hdfs.uri().resolve("/smoke")));
      }
      sparkParquetRoundTrip(hdfs.uri().resolve("/spark/rows.parquet"), hdfs.sparkConf());
    }
  }

  @Test
  void s3rverServesFilesAndSparkParquet() throws Exception {
    try (S3Server s3 = S3Server.start(temp)) {
      Configuration conf = s3.configuration();
      conf.set("fs.s3a.multipart.size", "5M"); // the smallest part S3 allows: the 6 MiB file below goes up in two
      try (FileSystem fs = FileSystem.newInstance(s3.bucketUri(), conf)) {
        assertEquals("s3a", fs.getScheme());
        fileSystemRoundTrip(fs, new Path(s3.bucketUri().resolve("/smoke")));
        byte[] big = new byte[6 << 20];
        new Random(7).nextBytes(big);
        Path multipart = new Path(s3.bucketUri().resolve("/multipart.bin"));
        try (FSDataOutputStream out = fs.create(multipart)) {
          out.write(big);
        }
        assertEquals(big.length, fs.getFileStatus(multipart).getLen());
        assertArrayEquals(big, read(fs, multipart));
        try (FSDataInputStream in = fs.open(multipart)) { // a seek past the first part reads the right bytes
          byte[] slice = new byte[1000];
          in.readFully(5_500_000, slice);
          assertArrayEquals(Arrays.copyOfRange(big, 5_500_000, 5_501_000), slice);
        }
      }
      sparkParquetRoundTrip(s3.bucketUri().resolve("/spark/rows.parquet"), s3.sparkConf());
      assertTrue(Files.readString(s3.log()).contains("HTTP PUT /" + s3.bucket() + "/spark/rows.parquet/"),
          "the server's request lines are in its log");
      assertEquals(List.of(), s3.serverErrors(), "requests the server failed (retried by s3a), see " + s3.log());
    }
  }

  /** create, read back, list, rename a folder, delete: each checked against what was written. */
  private static void fileSystemRoundTrip(FileSystem fs, Path root) throws IOException {
    Path dir = new Path(root, "dir");
    Path a = new Path(dir, "a.txt");
    Path b = new Path(dir, "sub/b.txt");
    write(fs, a, "first file\n");
    write(fs, b, "second, deeper\n");
    assertEquals("first file\n", new String(read(fs, a), StandardCharsets.UTF_8));
    assertEquals(11, fs.getFileStatus(a).getLen());
    assertTrue(fs.getFileStatus(dir).isDirectory());
    FileStatus[] listed = fs.listStatus(dir);
    assertEquals(List.of("a.txt", "sub"), Arrays.stream(listed).map(s -> s.getPath().getName()).sorted().toList());

    Path moved = new Path(root, "moved");
    assertTrue(fs.rename(dir, moved));
    assertFalse(fs.exists(dir));
    assertEquals("second, deeper\n", new String(read(fs, new Path(moved, "sub/b.txt")), StandardCharsets.UTF_8));
    assertEquals("first file\n", new String(read(fs, new Path(moved, "a.txt")), StandardCharsets.UTF_8));

    assertTrue(fs.delete(moved, true));
    assertFalse(fs.exists(moved));
    assertFalse(fs.exists(new Path(moved, "a.txt")));
  }

  /** A small dataset written as Parquet at {@code uri} from a local Spark session, read back equal. */
  private static void sparkParquetRoundTrip(URI uri, Map<String, String> sparkConf) {
    SparkSession spark = SparkTestSession.get();
    try (SparkHadoopConf ignored = SparkHadoopConf.apply(spark, sparkConf)) {
      Dataset<Row> rows = spark.range(0, 500, 1, 3)
          .selectExpr("id", "concat('doc-', id) AS path", "CAST(id AS DOUBLE) / 7 AS score");
      rows.write().parquet(uri.toString());
      Dataset<Row> back = spark.read().parquet(uri.toString());
      assertEquals(500, back.count());
      assertEquals(sorted(rows.collectAsList()), sorted(back.collectAsList()));
    }
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }

  private static void write(FileSystem fs, Path path, String text) throws IOException {
    try (FSDataOutputStream out = fs.create(path, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static byte[] read(FileSystem fs, Path path) throws IOException {
    try (FSDataInputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }
}
