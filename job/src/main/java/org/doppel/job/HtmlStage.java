package org.doppel.job;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.doppel.job.report.HtmlReport;

/**
 * The last stage: report.html from the run's records, with the context around each shown passage cut from
 * the cached texts on the executors. Written after summary.json, whose numbers it shows; its time goes to
 * stderr only.
 */
final class HtmlStage {
  private HtmlStage() {}

  static void write(JobContext ctx, Path dir, RunSummary summary, List<DocumentRow> docs, List<PairRow> pairs,
                    List<ClusterRow> clusters, JavaRDD<EmbeddedText> texts) throws IOException {
    ctx.progress().start("html");
    HtmlReport html = new HtmlReport(summary, docs, pairs, clusters, ctx.cfg().htmlPairs());
    html.write(dir, PassageContexts.collect(ctx.jsc(), texts, html.spans(), HtmlReport.CONTEXT_CHARS));
    ctx.progress().done(1, "page");
  }
}
