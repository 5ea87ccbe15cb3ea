package org.doppel.job.changes;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.doppel.job.data.ChangeRow;
import org.doppel.job.report.Table;
import scala.Tuple2;

/**
 * reports -> changes: this run's pairs and cluster memberships against the previous run's ({@link Previous}), as the
 * {@code changes} table: pairs new or gone, documents that joined, left or moved between clusters, each with why
 * (a document added, deleted or edited, or a score that crossed the threshold with both documents unchanged). A pair
 * is the same pair whichever document is {@code doc_a}. Without a previous run every pair and membership is new.
 * Computed on the executors; only the counts per kind come to the driver.
 */
public final class Changes {
  public static final StructType COLUMNS = new Table.Columns().string("change").string("doc_a").string("doc_b")
      .string("path_a").string("path_b").column("score_previous", DataTypes.DoubleType)
      .column("score_now", DataTypes.DoubleType).string("cluster_previous").string("cluster_now").string("why")
      .string("run_previous").string("run_now").schema();
  private static final String FIRST_RUN = "first run: no previous report";

  /** The table and how many changes of each kind (every kind present, zero or more), plus the two run ids. */
  public record Found(Table table, Map<String, Object> counts) {
    public long newPairs() {
      return ((Number) counts.get(ChangeRow.NEW_PAIR)).longValue();
    }

    /** The first {@code n} changes in report order (new pairs first), for report.html. */
    public List<ChangeRow> first(int n) {
      return table.rows().limit(n).collectAsList().stream().map(r -> new ChangeRow(r.getString(0), r.getString(1),
          r.getString(2), r.getString(3), r.getString(4), (Double) r.get(5), (Double) r.get(6), r.getString(7),
          r.getString(8), r.getString(9))).toList();
    }
  }

  private Changes() {}

  /** @param before the previous run, or null when there is none (the first run of a --state folder) */
  public static Found of(SparkSession spark, Previous before, Previous now) {
    JavaPairRDD<String, String> status = status(before, now);
    JavaRDD<ChangeRow> rows = explained(pairs(before, now), status, before, now)
        .union(clusters(before, now, status)).persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> byKind = rows.map(ChangeRow::change).countByValue();
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("previous_run", before == null ? null : before.runId());
    for (String kind : ChangeRow.KINDS) counts.put(kind, byKind.getOrDefault(kind, 0L));
    String runBefore = before == null ? null : before.runId(), runNow = now.runId();
    JavaRDD<Row> table = rows.map(c -> RowFactory.create(c.change(), c.docA(), c.docB(), c.pathA(), c.pathB(),
        c.scorePrevious(), c.scoreNow(), c.clusterPrevious(), c.clusterNow(), c.why(), runBefore, runNow,
        String.format(Locale.ROOT, "%d|%08.6f|%s|%s", ChangeRow.KINDS.indexOf(c.change()),
            1 - Math.max(c.scoreNow() == null ? 0 : c.scoreNow(), c.scorePrevious() == null ? 0 : c.scorePrevious()),
            c.pathA(), Objects.toString(c.pathB(), ""))));
    return new Found(new Table("changes", spark.createDataFrame(table, COLUMNS.add("_order", DataTypes.StringType))
        .orderBy(col("_order")).drop("_order")), counts);
  }

  /** Every document of either run: {@code added}, {@code deleted}, {@code edited} (other bytes) or {@code same}. */
  private static JavaPairRDD<String, String> status(Previous before, Previous now) {
    JavaPairRDD<String, String> shaNow = bySha(now);
    if (before == null) return shaNow.mapValues(s -> "added");
    return bySha(before).fullOuterJoin(shaNow).mapValues(v -> {
      if (!v._1().isPresent()) return "added";
      if (!v._2().isPresent()) return "deleted";
      return v._1().get().equals(v._2().get()) ? "same" : "edited";
    });
  }

  private static JavaPairRDD<String, String> bySha(Previous run) {
    return run.documents().javaRDD().mapToPair(r -> new Tuple2<>(r.getString(0), Objects.toString(r.getString(2), "")));
  }

  /** Pairs in one run only, keyed by their smaller document id (doc_a/doc_b may be swapped between runs). */
  private static JavaRDD<ChangeRow> pairs(Previous before, Previous now) {
    JavaPairRDD<String, Row> current = byPair(now);
    JavaPairRDD<String, Tuple2<Optional<Row>, Optional<Row>>> joined = before == null
        ? current.mapValues(r -> new Tuple2<>(Optional.<Row>empty(), Optional.of(r)))
        : byPair(before).fullOuterJoin(current);
    return joined.values().flatMap(v -> {
      if (v._1().isPresent() && v._2().isPresent()) return List.<ChangeRow>of().iterator();
      Row r = v._2().isPresent() ? v._2().get() : v._1().get();
      Double score = r.getDouble(4);
      return List.of(v._2().isPresent()
          ? new ChangeRow(ChangeRow.NEW_PAIR, r.getString(0), r.getString(1), r.getString(2), r.getString(3), null, score, null, null, null)
          : new ChangeRow(ChangeRow.GONE_PAIR, r.getString(0), r.getString(1), r.getString(2), r.getString(3), score, null, null, null, null)).iterator();
    });
  }

  private static JavaPairRDD<String, Row> byPair(Previous run) {
    return run.pairs().javaRDD().mapToPair(r -> {
      String a = r.getString(0), b = r.getString(1);
      return new Tuple2<>(a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a, r);
    });
  }

  /** The pair changes with why, from the status of both documents. */
  private static JavaRDD<ChangeRow> explained(JavaRDD<ChangeRow> changes, JavaPairRDD<String, String> status,
                                              Previous before, Previous now) {
    double thresholdBefore = before == null ? Double.NaN : before.threshold(), thresholdNow = now.threshold();
    boolean first = before == null;
    return changes.mapToPair(c -> new Tuple2<>(c.docA(), c)).leftOuterJoin(status)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1().docB(), new Tuple2<>(kv._2()._1(), kv._2()._2().orElse("same"))))
        .leftOuterJoin(status)
        .map(kv -> {
          ChangeRow c = kv._2()._1()._1();
          String a = kv._2()._1()._2(), b = kv._2()._2().orElse("same");
          String why = first ? FIRST_RUN : why(c, a, b, thresholdBefore, thresholdNow);
          return new ChangeRow(c.change(), c.docA(), c.docB(), c.pathA(), c.pathB(), c.scorePrevious(), c.scoreNow(),
              null, null, why);
        });
  }

  static String why(ChangeRow c, String statusA, String statusB, double thresholdBefore, double thresholdNow) {
    List<String> causes = new ArrayList<>();
    if (!"same".equals(statusA)) causes.add(c.pathA() + " was " + statusA);
    if (!"same".equals(statusB)) causes.add(c.pathB() + " was " + statusB);
    if (!causes.isEmpty()) return String.join("; ", causes);
    String moved = thresholdBefore == thresholdNow || Double.isNaN(thresholdBefore) ? ""
        : String.format(Locale.ROOT, " (threshold %s -> %s)", thresholdBefore, thresholdNow);
    return ChangeRow.NEW_PAIR.equals(c.change())
        ? "both documents unchanged: the score rose to the threshold" + moved
        : "both documents unchanged: the score fell below the threshold" + moved;
  }

  /** Documents whose cluster differs between the runs (a cluster is named by its kept document). */
  private static JavaRDD<ChangeRow> clusters(Previous before, Previous now, JavaPairRDD<String, String> status) {
    JavaPairRDD<String, Row> current = byDoc(now);
    JavaPairRDD<String, Tuple2<Optional<Row>, Optional<Row>>> joined = before == null
        ? current.mapValues(r -> new Tuple2<>(Optional.<Row>empty(), Optional.of(r)))
        : byDoc(before).fullOuterJoin(current);
    boolean first = before == null;
    return joined.leftOuterJoin(status).flatMap(kv -> {
      Optional<Row> was = kv._2()._1()._1(), is = kv._2()._1()._2();
      String docStatus = kv._2()._2().orElse("same");
      String clusterWas = was.isPresent() ? was.get().getString(1) : null;
      String clusterIs = is.isPresent() ? is.get().getString(1) : null;
      if (Objects.equals(clusterWas, clusterIs)) return List.<ChangeRow>of().iterator();
      String path = is.isPresent() ? is.get().getString(2) : was.get().getString(2);
      String change = clusterWas == null ? ChangeRow.JOINED : clusterIs == null ? ChangeRow.LEFT : ChangeRow.MOVED;
      String why = first ? FIRST_RUN
          : !"same".equals(docStatus) ? path + " was " + docStatus
          : change.equals(ChangeRow.MOVED) ? "its cluster's kept document changed or its cluster merged with another"
          : change.equals(ChangeRow.JOINED) ? "it has a new pair" : "its pairs are gone";
      return List.of(new ChangeRow(change, kv._1(), null, path, null, null, null, clusterWas, clusterIs, why)).iterator();
    });
  }

  private static JavaPairRDD<String, Row> byDoc(Previous run) {
    return run.clusters().javaRDD().mapToPair(r -> new Tuple2<>(r.getString(0), r));
  }
}
