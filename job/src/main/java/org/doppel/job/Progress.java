package org.doppel.job;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Progress on stderr: each pipeline stage reports done/total, rate and ETA while its Spark tasks finish,
 * and one closing line with its count and time. On a terminal the running line is rewritten in place.
 */
public final class Progress extends SparkListener {
  private final PrintStream err;
  private final boolean terminal = System.console() != null;
  private volatile String stage = "";
  private volatile long stageStart;
  private volatile int tasksTotal;
  private volatile int tasksDone;
  private volatile long lastPrint;

  public Progress(PrintStream err) {
    this.err = err;
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
    String rate = secs > 0 && count > 0 ? String.format(Locale.ROOT, ", %.1f %s/s", count / secs, unit) : "";
    line(String.format(Locale.ROOT, "%-8s %d %s in %.1f s%s", stage, count, unit, secs, rate), true);
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
    double eta = done > 0 ? secs / done * Math.max(0, tasksTotal - done) : 0;
    line(String.format(Locale.ROOT, "%-8s tasks %d/%d, %.1f tasks/s, ETA %.0f s", stage, done, Math.max(done, tasksTotal),
        done / Math.max(secs, 1e-9), eta), false);
  }

  private synchronized void line(String s, boolean last) {
    if (terminal) err.print("\r\033[2K" + s + (last ? "\n" : ""));
    else err.println(s);
    err.flush();
  }
}
