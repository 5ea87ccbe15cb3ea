package org.doppel.job.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.doppel.job.exec.SparkSessions;

/**
 * Writes N seeded synthetic document vectors with {@link ClusteredVectors}' structure (shared direction, topics,
 * families, near-duplicate variants) as Parquet ({@code doc_id}, {@code path}, {@code vector}), generated in
 * Spark tasks: each task makes one slice of rows from its own seed, with the shared direction and topics derived
 * from the run's seed, so no JVM holds more than a slice and any N can be written.
 *
 * <p>Usage: {@code SyntheticVectors OUT N [DIM=384] [SEED=1] [ROWS_PER_TASK=100000]}
 */
public final class SyntheticVectors {
  static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("doc_id", DataTypes.StringType, false),
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false)));

  private SyntheticVectors() {}

  public static void main(String[] args) throws Exception {
    String out = args[0];
    long n = Long.parseLong(args[1]);
    int dim = args.length > 2 ? Integer.parseInt(args[2]) : 384;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
    int perTask = args.length > 4 ? Integer.parseInt(args[4]) : 100_000;
    long t0 = System.nanoTime();
    try (SparkSession spark = SparkSessions.create(null, "synthetic-vectors")) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      List<long[]> slices = new ArrayList<>();
      for (long start = 0; start < n; start += perTask) slices.add(new long[] {start, Math.min(n, start + perTask)});
      int topics = (int) Math.max(1, n / 400);
      JavaRDD<Row> rows = jsc.parallelize(slices, slices.size()).flatMap(s -> slice(s[0], s[1], dim, seed, topics));
      spark.createDataFrame(rows, SCHEMA).write().parquet(out);
    }
    System.err.printf("wrote %d vectors of %d dimensions to %s in %.1f s%n", n, dim, out, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * Rows {@code from..to}: families of near-duplicates around topics shared by every slice, made as they are read (a
   * slice's rows are never all in memory: 100,000 boxed 384-d rows held at once made the 1M set take 23 minutes).
   */
  static Iterator<Row> slice(long from, long to, int dim, long seed, int topics) {
    Random shared = new Random(seed);
    float[] common = ClusteredVectors.unit(shared, dim);
    Random rnd = new Random(seed * 1_000_003L + from);
    return new Iterator<>() {
      long i = from;
      Iterator<float[]> family = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        return i < to;
      }

      @Override
      public Row next() {
        if (!family.hasNext()) {
          float[] topic = ClusteredVectors.unit(new Random(seed * 31 + rnd.nextInt(topics)), dim);
          family = ClusteredVectors.family(rnd, dim, common, topic, (int) Math.min(Integer.MAX_VALUE, to - i)).iterator();
        }
        float[] v = family.next();
        Float[] boxed = new Float[dim];
        for (int d = 0; d < dim; d++) boxed[d] = v[d];
        String id = String.format("v%010d", i++);
        return RowFactory.create(id, "synthetic/" + id, boxed);
      }
    };
  }
}
