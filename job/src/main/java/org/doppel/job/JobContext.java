package org.doppel.job;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.output.OutputFolder;
import org.doppel.job.storage.Location;

/**
 * What every job body gets: Spark, its configuration, partition count, progress, stage timings and the
 * output folder. {@link #run} owns the lifecycle: progress listener on and off, and an output folder
 * that is replaced only when the body returns (dropped on any failure).
 */
public record JobContext(SparkSession spark, JavaSparkContext jsc, RunConfig cfg, int partitions, Progress progress,
                         Map<String, Double> seconds, OutputFolder out, PrintStream err) {

  /** A job's stages, from files to its written outputs. */
  public interface Body {
    RunSummary run(JobContext ctx) throws IOException;
  }

  /** @param runId this run's identity ({@link org.doppel.job.output.RunId}), written into its outputs */
  public static RunSummary run(SparkSession spark, RunConfig cfg, String runId, PrintStream err, Body body)
      throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int partitions = cfg.partitions() > 0 ? cfg.partitions() : jsc.defaultParallelism() * 2;
    Progress progress = new Progress(err);
    spark.sparkContext().addSparkListener(progress);
    OutputFolder out = new OutputFolder(Location.of(cfg.out()), OutputFolder.Kind.REPORT, "--out", runId);
    try {
      RunSummary summary = body.run(new JobContext(spark, jsc, cfg, partitions, progress, new LinkedHashMap<>(), out, err));
      out.commit();
      return summary;
    } catch (IOException | RuntimeException e) {
      out.abort();
      throw e;
    } finally {
      spark.sparkContext().removeSparkListener(progress);
    }
  }
}
