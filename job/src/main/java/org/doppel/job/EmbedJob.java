package org.doppel.job;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.EmbeddedText;
import org.doppel.job.output.RunId;
import org.doppel.job.report.ReportTables;
import org.doppel.job.report.ReportWriter;
import org.doppel.model.Chunk;
import scala.Tuple2;

/**
 * {@code doppel embed}: files -> documents -> window vectors, written for reuse elsewhere as
 * {@code vectors.parquet} (one row per document window) and {@code document_vectors.parquet} (one per
 * document), plus the documents report. Exact copies share their text's vectors. Vectors are written by
 * the executors; they never gather on the driver.
 */
public final class EmbedJob {
  static final StructType CHUNK_SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("doc_id", DataTypes.StringType, false),
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("chunk", DataTypes.IntegerType, false),
      DataTypes.createStructField("start_char", DataTypes.IntegerType, false),
      DataTypes.createStructField("end_char", DataTypes.IntegerType, false),
      DataTypes.createStructField("tokens", DataTypes.IntegerType, false),
      DataTypes.createStructField("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false)));
  static final StructType DOC_SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("doc_id", DataTypes.StringType, false),
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("chunks", DataTypes.IntegerType, false),
      DataTypes.createStructField("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false)));

  /** A document that carries a text: its id and path. */
  record Member(String docId, String path) implements java.io.Serializable {}

  private EmbedJob() {}

  public static RunSummary run(SparkSession spark, RunConfig cfg, PrintStream err) throws IOException {
    return JobContext.run(spark, cfg, RunId.next(), err, EmbedJob::stages);
  }

  private static RunSummary stages(JobContext ctx) throws IOException {
    Corpus corpus = Corpus.extract(ctx);
    Corpus.Embedded embedded = corpus.embed(ctx);

    ctx.progress().start("write");
    Location dir = ctx.out().begin();
    SparkSession spark = ctx.spark();
    // each distinct text with the documents that carry it (exact copies share their text's vectors)
    JavaPairRDD<EmbeddedText, Iterable<Member>> byText = embedded.texts().mapToPair(t -> new Tuple2<String, EmbeddedText>(t.textSha256(), t))
        .join(corpus.groups().members().mapValues(d -> new Member(d.docId(), d.path())).groupByKey())
        .mapToPair(kv -> kv._2());
    spark.createDataFrame(byText.flatMap(kv -> chunkRows(kv._1(), kv._2()).iterator()), CHUNK_SCHEMA)
        .write().parquet(dir.resolve("vectors.parquet").uri());
    spark.createDataFrame(byText.flatMap(kv -> documentRows(kv._1(), kv._2()).iterator()), DOC_SCHEMA)
        .write().parquet(dir.resolve("document_vectors.parquet").uri());
    ReportWriter writer = new ReportWriter(dir);
    writer.write(ReportTables.documents(spark, corpus.docs(), embedded.vectors(),
        ctx.jsc().<ClusterRow>emptyRDD(), corpus.tables().extraColumns()));
    ctx.seconds().put("write", ctx.progress().done(3, "datasets"));
    RunSummary summary = RunSummary.of(ctx, RunSummary.Counts.of(corpus.docs(), embedded.vectors(), null, null))
        .with("embedder_runtime", embedded.runtimes()).withWork(corpus, embedded, ctx.seconds());
    corpus.tables().addTo(summary, corpus.docs());
    writer.writeSummary(summary.toMap());
    corpus.release(embedded);
    return summary;
  }

  static List<Row> chunkRows(EmbeddedText t, Iterable<Member> members) {
    List<Row> rows = new ArrayList<>();
    for (Member m : members) {
      for (Chunk c : t.chunks()) {
        rows.add(RowFactory.create(m.docId(), m.path(), c.index(), c.startChar(), c.endChar(), c.tokens(), boxed(c.vector())));
      }
    }
    return rows;
  }

  static List<Row> documentRows(EmbeddedText t, Iterable<Member> members) {
    List<Row> rows = new ArrayList<>();
    for (Member m : members) rows.add(RowFactory.create(m.docId(), m.path(), t.chunks().size(), boxed(t.vector())));
    return rows;
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }
}
