package org.doppel.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.doppel.job.report.Json;

/**
 * Progress on stderr: each pipeline stage reports done/total, rate and ETA while its Spark tasks finish,
 * and one closing line with its count and time. On a terminal the running line is rewritten in place.
 * With {@code --progress json} (system property {@value #FORMAT_PROPERTY} = json) each line is instead one
 * JSON object: {@code {"event":"progress"|"stage_done", "stage", "done", "total", "unit", "rate", "eta_s",
 * "elapsed_s"}}, for a scheduler or a notebook to follow; the run's summary follows as {@code "event":"summary"}.
 */
public final class Progress extends SparkListener {
  public static final String FORMAT_PROPERTY = "doppel.progress";

  private final PrintStream err;
  private final boolean json;
  private final boolean terminal = System.console() != null;
  private volatile String stage = "";
  private volatile long stageStart;
  private volatile int tasksTotal;
  private volatile int tasksDone;
  private volatile long lastPrint;

  public Progress(PrintStream err) {
    this(err, json());
  }

  Progress(PrintStream err, boolean json) {
    this.err = err;
    this.json = json;
  }

  /** Was JSON progress asked for ({@code --progress json})? */
  public static boolean json() {
    return "json".equals(System.getProperty(FORMAT_PROPERTY));
  }

  public void start(String name) {
    stage = name;
    stageStart = System.nanoTime();
    tasksDone = 0;
    tasksTotal = 0;
  }

  /** Ends a stage; returns its wall time in seconds. */
  public double done(long count, String unit) {
    double secs = (System.nanoTime() - stageStart) / 1e9;
    if (json) {
      event("stage_done", count, count, unit, secs > 0 ? count / secs : 0, 0, secs);
    } else {
      String rate = secs > 0 && count > 0 ? String.format(Locale.ROOT, ", %.1f %s/s", count / secs, unit) : "";
      line(String.format(Locale.ROOT, "%-8s %d %s in %.1f s%s", stage, count, unit, secs, rate), true);
    }
    return secs;
  }

  /** Counts the tasks of stages that run: a job also lists stages whose output is already there (skipped). */
  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
    tasksTotal += submitted.stageInfo().numTasks();
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd task) {
    int done = ++tasksDone;
    long now = System.nanoTime();
    if (now - lastPrint < 1_000_000_000L && done < tasksTotal) return;
    lastPrint = now;
    double secs = (now - stageStart) / 1e9;
    int total = Math.max(done, tasksTotal);
    double eta = done > 0 ? secs / done * (total - done) : 0;
    double rate = done / Math.max(secs, 1e-9);
    if (json) {
      event("progress", done, total, "tasks", rate, eta, secs);
    } else {
      line(String.format(Locale.ROOT, "%-8s tasks %d/%d, %.1f tasks/s, ETA %.0f s", stage, done, total, rate, eta), false);
    }
  }

  /** The run's summary as the last JSON line (JSON progress only). */
  public static void summary(PrintStream err, Map<String, Object> summary) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "summary");
    m.putAll(summary);
    err.println(Json.line(m));
    err.flush();
  }

  /** One {@code --progress json} line. */
  record Event(String event, String stage, long done, long total, String unit, double rate,
               @JsonProperty("eta_s") double etaS, @JsonProperty("elapsed_s") double elapsedS) {}

  private void event(String event, long done, long total, String unit, double rate, double eta, double elapsed) {
    line(Json.line(new Event(event, stage, done, total, unit, Math.round(rate * 100) / 100.0, Math.round(eta * 10) / 10.0,
        Math.round(elapsed * 100) / 100.0)), true);
  }

  private synchronized void line(String s, boolean last) {
    if (terminal && !json) err.print("\r\033[2K" + s + (last ? "\n" : ""));
    else err.println(s);
    err.flush();
  }
}
