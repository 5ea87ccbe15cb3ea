package org.doppel.job.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.doppel.job.cli.DoppelCommand;
import org.doppel.job.storage.MiniHdfs;
import org.doppel.job.storage.S3Server;
import org.doppel.job.storage.SparkHadoopConf;

/**
 * Wall time of the same {@code doppel run} (in this JVM, --isolation thread) on local files, on an in-process HDFS
 * and on an S3 API server (s3rver through s3a), with the report written where the documents are. A warm-up run
 * first (model load, JIT), then ROUNDS rounds, the three storages interleaved within each.
 *
 * <p>Usage: StorageBench DOCS_DIR WORK_DIR [ROUNDS=3]
 */
public final class StorageBench {
  private StorageBench() {}

  public static void main(String[] args) throws Exception {
    Path docs = Path.of(args[0]).toAbsolutePath();
    Path work = Path.of(args[1]).toAbsolutePath();
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    try (MiniHdfs hdfs = MiniHdfs.start(work.resolve("hdfs")); S3Server s3 = S3Server.start(work.resolve("s3"))) {
      Map<String, String[]> stores = new LinkedHashMap<>(); // name -> root URI, and the settings as key=value
      stores.put("local", new String[] {work.resolve("local").toUri().toString()});
      stores.put("hdfs", new String[] {hdfs.uri() + "/"});
      stores.put("s3", new String[] {s3.bucketUri() + "/"});
      upload(docs, hdfs.uri() + "/docs", hdfs.configuration());
      upload(docs, s3.bucketUri() + "/docs", s3.configuration());
      Map<String, Map<String, String>> conf = Map.of("local", Map.of(), "hdfs", hdfs.sparkConf(), "s3", s3.sparkConf());
      run(Map.of(), docs.toString(), work.resolve("warm-up").toString());
      Map<String, List<Double>> seconds = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        for (String name : stores.keySet()) {
          String root = stores.get(name)[0];
          String in = name.equals("local") ? docs.toString() : root + "docs";
          double s = run(conf.get(name), in, root + "report-" + r);
          seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
          System.out.printf(Locale.ROOT, "round %d %-5s %6.1f s%n", r + 1, name, s);
        }
      }
      double base = median(seconds.get("local"));
      for (var e : seconds.entrySet()) {
        double m = median(e.getValue());
        String runs = e.getValue().stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).toList().toString();
        System.out.printf(Locale.ROOT, "%-5s median %6.1f s (runs %s), %.2fx local%n", e.getKey(), m, runs, m / base);
      }
      long heap = 0;
      for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == java.lang.management.MemoryType.HEAP) heap += pool.getPeakUsage().getUsed();
      }
      String hwm = java.nio.file.Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
      System.out.printf(Locale.ROOT, "files %d; this JVM (driver, executors, HDFS and the s3a client; s3rver is a node "
          + "process): peak heap %d MB (sum of pool peaks), peak RSS %s%n", fileCount(docs), heap >> 20, hwm);
    }
  }

  private static long fileCount(Path docs) throws java.io.IOException {
    try (var s = java.nio.file.Files.walk(docs)) {
      return s.filter(java.nio.file.Files::isRegularFile).count();
    }
  }

  private static void upload(Path docs, String to, Configuration conf) throws Exception {
    try (FileSystem fs = FileSystem.newInstance(URI.create(to), conf)) {
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(docs.toUri()), new org.apache.hadoop.fs.Path(to));
    }
  }

  private static double run(Map<String, String> sparkConf, String in, String out) throws Exception {
    long t0 = System.nanoTime();
    int code = SparkHadoopConf.withSettings(sparkConf, () -> DoppelCommand.execute(
        new String[] {"run", in, "--out", out, "--isolation", "thread"}, Map.of(), new PrintWriter(new StringWriter()),
        new PrintWriter(System.err, true)));
    if (code != 0) throw new IllegalStateException("doppel run " + in + " exited " + code);
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
