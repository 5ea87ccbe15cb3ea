package org.doppel.job.state;

import org.doppel.job.storage.Location;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.EmbeddedText;
import org.doppel.job.decide.Background;
import org.doppel.job.decide.Decision;
import org.doppel.job.decide.PairRow;
import scala.Tuple2;

/**
 * A report's {@code evidence/} folder: what {@code doppel rethreshold} needs to decide the report's pairs again at a
 * higher threshold without extracting or embedding anything.
 *
 * <pre>
 * evidence.properties  the threshold the report was made at (the lowest a rethreshold can use), the corpus background
 * decision.json        the decision parameters the run used
 * documents.parquet/   every document row but its text, as the state stores them
 * texts.parquet/       the texts of the documents in a pair: text, vectors, windows, sketch
 * </pre>
 */
public final class ReportEvidence {
  public static final String DIR = "evidence";
  private static final String PROPERTIES = "evidence.properties";

  /** What was read back; {@code threshold} is the one the report was made at. */
  public record Read(JavaRDD<DocumentRow> docs, JavaRDD<EmbeddedText> texts, Decision decision, double threshold) {}

  private ReportEvidence() {}

  /**
   * Writes the evidence of a report being written in {@code reportDir}, whose pairs are {@code pairs}, decided by
   * {@code decision} (with the corpus background it judged them against).
   */
  public static void write(SparkSession spark, Location reportDir, JavaRDD<DocumentRow> docs, JavaRDD<EmbeddedText> texts,
                           JavaRDD<PairRow> pairs, Decision decision, double threshold) throws IOException {
    Location dir = reportDir.resolve(DIR);
    dir.mkdirs();
    StateStore.writeDocuments(spark, docs, dir.resolve("documents.parquet"));
    JavaPairRDD<String, Boolean> pairedTexts = pairs.flatMap(p -> java.util.List.of(p.docA(), p.docB()).iterator())
        .mapToPair(id -> new Tuple2<>(id, Boolean.TRUE)).distinct()
        .join(docs.mapToPair(d -> new Tuple2<>(d.docId(), d.textSha256())))
        .mapToPair(kv -> new Tuple2<>(kv._2()._2(), Boolean.TRUE)).distinct();
    TextRows.write(spark, texts.mapToPair(t -> new Tuple2<>(t.textSha256(), t)).join(pairedTexts).map(kv -> kv._2()._1()),
        dir.resolve("texts.parquet"));
    dir.resolve("decision.json").writeString(new ObjectMapper().writerWithDefaultPrettyPrinter()
        .writeValueAsString(decision.withCorpus(null)));
    Properties p = new Properties();
    p.setProperty("threshold", String.valueOf(threshold));
    if (decision.corpus() != null) {
      p.setProperty("corpus.cosine", String.valueOf(decision.corpus().cosine()));
      p.setProperty("corpus.containment", String.valueOf(decision.corpus().containment()));
      p.setProperty("corpus.sampled", String.valueOf(decision.corpus().sampled()));
    }
    try (Writer w = dir.resolve(PROPERTIES).writer()) {
      p.store(w, "Doppel report evidence: doppel rethreshold decides these pairs again at a threshold >= this one");
    }
  }

  /** Why {@code reportDir}'s evidence cannot be read (none: an older Doppel made it), or null. */
  public static String problem(Location reportDir) throws IOException {
    Location dir = reportDir.resolve(DIR);
    for (String f : new String[] {PROPERTIES, "decision.json", "documents.parquet", "texts.parquet"}) {
      if (!dir.resolve(f).exists()) {
        return reportDir + " has no " + DIR + "/" + f + ": it was not written by this version of doppel run";
      }
    }
    return null;
  }

  /** The threshold the report in {@code reportDir} was made at: the lowest its evidence can be decided at. */
  public static double threshold(Location reportDir) throws IOException {
    return Double.parseDouble(properties(reportDir.resolve(DIR)).getProperty("threshold"));
  }

  private static Properties properties(Location dir) throws IOException {
    Properties p = new Properties();
    try (Reader r = dir.resolve(PROPERTIES).reader()) {
      p.load(r);
    }
    return p;
  }

  public static Read read(SparkSession spark, Location reportDir) throws IOException {
    Location dir = reportDir.resolve(DIR);
    Properties p = properties(dir);
    JavaRDD<DocumentRow> docs = spark.read().parquet(dir.resolve("documents.parquet").uri()).javaRDD()
        .map(StateStore.DOCUMENT_COLUMNS::fromRow);
    JavaRDD<EmbeddedText> texts = TextRows.read(spark, dir.resolve("texts.parquet").uri());
    Decision decision;
    try (java.io.InputStream in = dir.resolve("decision.json").open()) {
      decision = Decision.read(in);
    }
    if (p.getProperty("corpus.cosine") != null) {
      decision = decision.withCorpus(new Background(Double.parseDouble(p.getProperty("corpus.cosine")),
          Double.parseDouble(p.getProperty("corpus.containment")), Integer.parseInt(p.getProperty("corpus.sampled"))));
    }
    return new Read(docs, texts, decision, Double.parseDouble(p.getProperty("threshold")));
  }
}
