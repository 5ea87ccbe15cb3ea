package org.doppel.job;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.data.ChangeRow;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.EmbeddedText;
import org.doppel.job.decide.PairRow;
import org.doppel.job.report.HtmlReport;
import org.doppel.job.report.PassageContexts;

/**
 * The last stage: report.html from a bounded part of the run's records (the highest-scoring pairs, the largest
 * clusters, some unreadable documents and the documents these name: see {@link HtmlReport}), with the context
 * around each shown passage cut from the cached texts on the executors. Written after summary.json, whose numbers
 * it shows; its time goes to stderr only.
 */
final class HtmlStage {
  private HtmlStage() {}

  /** Orders for the driver's bounded samples; serializable, as Spark ships them to the executors. */
  private static final Comparator<PairRow> BY_SCORE = (Comparator<PairRow> & Serializable) (x, y) -> {
    int c = Double.compare(y.score(), x.score());
    if (c == 0) c = x.pathA().compareTo(y.pathA());
    return c != 0 ? c : x.pathB().compareTo(y.pathB());
  };
  private static final Comparator<ClusterRow> BY_SIZE = (Comparator<ClusterRow> & Serializable) (x, y) -> {
    int c = Integer.compare(y.clusterSize(), x.clusterSize());
    if (c == 0) c = x.clusterId().compareTo(y.clusterId());
    if (c == 0) c = Boolean.compare(y.keep(), x.keep());
    return c != 0 ? c : x.path().compareTo(y.path());
  };
  private static final Comparator<DocumentRow> BY_STATUS = (Comparator<DocumentRow> & Serializable) (x, y) -> {
    int c = x.status().compareTo(y.status());
    return c != 0 ? c : x.path().compareTo(y.path());
  };

  static void write(JobContext ctx, Location dir, RunSummary summary, JavaRDD<DocumentRow> docs, JavaRDD<PairRow> pairs,
                    JavaRDD<ClusterRow> clusters, JavaRDD<EmbeddedText> texts) throws IOException {
    write(ctx, dir, summary, docs, pairs, clusters, texts, List.of());
  }

  /** @param changes the first changes since the previous run (shown first), or none */
  static void write(JobContext ctx, Location dir, RunSummary summary, JavaRDD<DocumentRow> docs, JavaRDD<PairRow> pairs,
                    JavaRDD<ClusterRow> clusters, JavaRDD<EmbeddedText> texts, List<ChangeRow> changes) throws IOException {
    ctx.progress().start("html");
    List<PairRow> topPairs = pairs.takeOrdered(HtmlReport.PAIRS_IN_MEMORY, BY_SCORE);
    List<ClusterRow> largest = new ArrayList<>(clusters.takeOrdered(HtmlReport.MAX_CLUSTER_ROWS, BY_SIZE));
    if (!largest.isEmpty()) { // the last cluster may be cut short: show whole clusters only
      ClusterRow last = largest.get(largest.size() - 1);
      long kept = largest.stream().filter(c -> c.clusterId().equals(last.clusterId())).count();
      if (kept < last.clusterSize()) largest.removeIf(c -> c.clusterId().equals(last.clusterId()));
    }
    Set<String> named = new HashSet<>();
    for (PairRow p : topPairs) {
      named.add(p.docA());
      named.add(p.docB());
    }
    for (ClusterRow c : largest) named.add(c.docId());
    Broadcast<Set<String>> wanted = ctx.jsc().broadcast(named);
    List<DocumentRow> shown = new ArrayList<>(docs.filter(d -> d.isOk() && wanted.value().contains(d.docId())).collect());
    wanted.destroy();
    shown.addAll(docs.filter(d -> !d.isOk()).takeOrdered(HtmlReport.MAX_PROBLEM_ROWS, BY_STATUS));
    HtmlReport html = new HtmlReport(summary.toMap(), shown, topPairs, largest, ctx.cfg().htmlPairs()).withChanges(changes);
    html.write(dir, PassageContexts.collect(ctx.jsc(), texts, html.spans(), HtmlReport.CONTEXT_CHARS));
    ctx.progress().done(1, "page");
  }
}
