package org.doppel.job.report;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.TextVector;
import org.doppel.job.decide.Alignment;
import org.doppel.job.decide.PairEvidence;
import org.doppel.job.decide.PairRow;
import org.doppel.job.decide.Passage;
import scala.Tuple2;

/**
 * Maps the pipeline's records onto the report contract (column names and order as in DESIGN.md), as sorted
 * Datasets built on the executors: documents in listing order (each container's entries after it), pairs by score
 * (highest first) then paths, clusters by their kept document's path, the kept one first, then members by path.
 */
public final class ReportTables {
  public static final StructType DOCUMENTS = new Table.Columns().string("doc_id").string("path")
      .column("size_bytes", DataTypes.LongType).string("sha256").string("media_type").string("status")
      .string("status_detail").column("chars", DataTypes.IntegerType).column("chunks", DataTypes.IntegerType)
      .column("tokens", DataTypes.IntegerType).string("text_sha256").string("cluster_id").string("input")
      .column("modified_ms", DataTypes.LongType).string("parent").column("words", DataTypes.IntegerType).schema();
  public static final StructType PAIRS = new Table.Columns().string("doc_a").string("doc_b").string("path_a")
      .string("path_b").column("score", DataTypes.DoubleType).string("method").string("passage_a").string("passage_b")
      .column("passage_score", DataTypes.DoubleType).string("reason")
      .column("passage_a_start", DataTypes.IntegerType).column("passage_a_end", DataTypes.IntegerType)
      .column("passage_b_start", DataTypes.IntegerType).column("passage_b_end", DataTypes.IntegerType)
      .column("coverage_a", DataTypes.DoubleType).column("coverage_b", DataTypes.DoubleType).string("passages")
      .column("cosine", DataTypes.DoubleType).column("lexical_resemblance", DataTypes.DoubleType)
      .column("containment_a", DataTypes.DoubleType).column("containment_b", DataTypes.DoubleType).schema();
  public static final StructType CLUSTERS = new Table.Columns().string("cluster_id").string("doc_id").string("path")
      .column("keep", DataTypes.BooleanType).column("score_to_keep", DataTypes.DoubleType)
      .column("cluster_size", DataTypes.IntegerType).schema();
  private static final String ORDER = "_order";

  private ReportTables() {}

  /** Every document with its text's windows and tokens and its cluster, in listing order. */
  public static Table documents(SparkSession spark, JavaRDD<DocumentRow> docs, JavaRDD<TextVector> vectors,
                                JavaRDD<ClusterRow> clusters) {
    return documents(spark, docs, vectors, clusters, null);
  }

  /**
   * The same, with {@code extra} columns after Doppel's ({@code doc_id} and the columns: a --text-table's other
   * columns, {@code corpus.TextTables}) joined by {@code doc_id} on the executors, null where a document has none.
   */
  public static Table documents(SparkSession spark, JavaRDD<DocumentRow> docs, JavaRDD<TextVector> vectors,
                                JavaRDD<ClusterRow> clusters, Dataset<Row> extra) {
    JavaPairRDD<String, int[]> sizes = vectors.mapToPair(v -> new Tuple2<>(v.textSha256(), new int[] {v.chunks(), v.tokens()}));
    JavaPairRDD<String, String> clusterByDoc = clusters.mapToPair(c -> new Tuple2<>(c.docId(), c.clusterId()));
    JavaRDD<Row> rows = docs.mapToPair(d -> new Tuple2<>(d.textSha256() == null ? "" : d.textSha256(), d))
        .leftOuterJoin(sizes)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1().docId(), kv._2()))
        .leftOuterJoin(clusterByDoc)
        .map(kv -> {
          DocumentRow d = kv._2()._1()._1();
          int[] s = kv._2()._1()._2().orElse(null);
          return RowFactory.create(d.docId(), d.path(), d.sizeBytes(), d.sha256(), d.mediaType(), d.status(),
              d.statusDetail(), d.chars(), s == null ? 0 : s[0], s == null ? 0 : s[1], d.textSha256(),
              kv._2()._2().orElse(null), d.input(), d.modifiedMillis(), d.parent(),
              d.sketch() == null ? 0 : d.sketch().terms(), listingKey(d.path()));
        });
    if (extra == null) return new Table("documents", sorted(spark, rows, DOCUMENTS, col(ORDER)));
    Dataset<Row> joined = spark.createDataFrame(rows, DOCUMENTS.add(ORDER, DataTypes.StringType))
        .join(extra, new String[] {"doc_id"}, "left_outer");
    return new Table("documents", joined.orderBy(col(ORDER)).drop(ORDER));
  }

  /** Pairs by score, highest first, then by their paths. */
  public static Table pairs(SparkSession spark, JavaRDD<PairRow> pairs) {
    JavaRDD<Row> rows = pairs.map(p -> {
      PairEvidence e = p.evidence();
      Alignment al = p.alignment();
      Passage g = al == null ? null : al.best();
      return RowFactory.create(p.docA(), p.docB(), p.pathA(), p.pathB(), p.score(), p.method(),
          g == null ? null : g.aText(), g == null ? null : g.bText(), g == null ? null : g.score(), p.reason(),
          g == null ? null : g.aStart(), g == null ? null : g.aEnd(), g == null ? null : g.bStart(),
          g == null ? null : g.bEnd(), al == null ? null : al.coverageA(), al == null ? null : al.coverageB(),
          al == null ? null : al.topJson(), e == null ? null : known(e.cosine()), e == null ? null : known(e.resemblance()),
          e == null ? null : known(e.containmentA()), e == null ? null : known(e.containmentB()), "");
    });
    return new Table("pairs", sorted(spark, rows, PAIRS, col("score").desc(), col("path_a"), col("path_b")));
  }

  /** Clusters by their kept document's path, the kept document first, then the members by path. */
  public static Table clusters(SparkSession spark, JavaRDD<ClusterRow> clusters) {
    JavaPairRDD<String, String> keptPath = clusters.filter(ClusterRow::keep).mapToPair(c -> new Tuple2<>(c.clusterId(), c.path()));
    JavaRDD<Row> rows = clusters.mapToPair(c -> new Tuple2<>(c.clusterId(), c)).join(keptPath)
        .map(kv -> {
          ClusterRow c = kv._2()._1();
          return RowFactory.create(c.clusterId(), c.docId(), c.path(), c.keep(), c.scoreToKeep(), c.clusterSize(),
              kv._2()._2());
        });
    return new Table("clusters", sorted(spark, rows, CLUSTERS, col(ORDER), col("keep").desc(), col("path")));
  }

  /** The rows (each with one extra trailing sort column) as a Dataset sorted by {@code order}, without that column. */
  private static Dataset<Row> sorted(SparkSession spark, JavaRDD<Row> rows, StructType schema,
                                     org.apache.spark.sql.Column... order) {
    return spark.createDataFrame(rows, schema.add(ORDER, DataTypes.StringType)).orderBy(order).drop(ORDER);
  }

  /** A measure, or null when it is unknown (NaN: e.g. lexical measures of vectors without texts). */
  private static Double known(double x) {
    return Double.isNaN(x) ? null : x;
  }

  /**
   * A path's place in the listing: files by path, each container's entries right after it, depth first (the entry
   * separator "!/" sorts before any character a name can hold).
   */
  static String listingKey(String path) {
    return path.replace("!/", "\u0000");
  }
}
