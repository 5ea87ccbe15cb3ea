package org.doppel.job.bench;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.RunConfig;
import org.doppel.job.candidates.BlockedSearch;
import org.doppel.job.candidates.PairwiseCosine;
import org.doppel.job.exec.SparkSessions;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.cluster.Clusters;
import org.doppel.job.cluster.KeepPolicy;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.decide.PairRow;

/**
 * One configuration of the pairwise stage in a fresh JVM, so peak RSS is its own. Usage:
 * {@code PairsStageBench exact|blocked N [threshold=0.93] [width|default] [hits.bin]}: N {@link ClusteredVectors}
 * (384-d, seeded), candidate search, then hub-guarded clusters of the found pairs in Spark. Prints one line
 * of {@code key=value}: search and cluster wall and CPU seconds (CPU seconds are the work, however loaded the
 * machine), pairs, dot products, peak RSS, the 1-minute load average. The exact run writes its
 * pairs to {@code hits.bin}; a blocked run given that file also prints its recall against it.
 */
public final class PairsStageBench {
  private PairsStageBench() {}

  public static void main(String[] args) throws Exception {
    boolean blocked = args[0].equals("blocked");
    int n = Integer.parseInt(args[1]);
    double threshold = args.length > 2 ? Double.parseDouble(args[2]) : 0.93;
    double width = args.length > 3 && !args[3].equals("default") ? Double.parseDouble(args[3]) : BlockedSearch.DEFAULT_WIDTH;
    Path hitsFile = args.length > 4 ? Path.of(args[4]) : null;
    float[][] v = ClusteredVectors.generate(n, 384, 11);
    try (SparkSession spark = SparkSessions.create("local[*]", "doppel-bench-pairs-stage")) {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Engine.getEngine("PyTorch");
      JniUtils.setNumThreads(1); // one libtorch thread per Spark task, as in a run
      long t0 = System.nanoTime();
      double cpu0 = PairwiseBench.cpuSeconds();
      List<IndexedSearch.Hit> hits;
      long dots = (long) n * (n - 1) / 2;
      String extra = "";
      if (blocked) {
        IndexedSearch.Blocked r = IndexedSearch.blocked(jsc, v, threshold, 1024, 0, width, 42);
        hits = r.hits();
        dots = r.dotProducts();
        extra = String.format(Locale.ROOT, " blocks=%d largest_block=%d", r.blocks(), r.largestBlock());
      } else {
        hits = IndexedSearch.exact(jsc, v, threshold, 1024);
      }
      double searchSecs = (System.nanoTime() - t0) / 1e9;
      double searchCpu = PairwiseBench.cpuSeconds() - cpu0;
      long t1 = System.nanoTime();
      double cpu1 = PairwiseBench.cpuSeconds();
      List<ClusterRow> clusters = clusters(jsc, v, hits, threshold);
      double clusterSecs = (System.nanoTime() - t1) / 1e9;
      double clusterCpu = PairwiseBench.cpuSeconds() - cpu1;
      long rss = PairwiseBench.peakRssMb();
      if (hitsFile != null && !blocked) write(hitsFile, hits);
      if (hitsFile != null && blocked && Files.exists(hitsFile)) {
        Set<Long> truth = read(hitsFile);
        long found = hits.stream().filter(h -> truth.contains(key(h))).count();
        extra += String.format(Locale.ROOT, " recall=%.4f", truth.isEmpty() ? 1.0 : found / (double) truth.size());
      }
      System.out.printf(Locale.ROOT,
          "mode=%s n=%d threshold=%.2f search_s=%.1f search_cpu_s=%.1f clusters_s=%.1f clusters_cpu_s=%.1f pairs=%d "
              + "clusters=%d dot_products=%d peak_rss_mb=%d load=%.1f%s%n",
          blocked ? "blocked" : "exact", n, threshold, searchSecs, searchCpu, clusterSecs, clusterCpu, hits.size(),
          clusters.stream().filter(ClusterRow::keep).count(), dots, rss,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), extra);
    }
  }

  /** The hits as document pairs of made-up documents, clustered as a run clusters them. */
  private static List<ClusterRow> clusters(JavaSparkContext jsc, float[][] v, List<IndexedSearch.Hit> hits, double threshold) {
    Map<String, DocumentRow> docs = new HashMap<>();
    Map<String, float[]> vectors = new HashMap<>();
    List<DocumentRow> rows = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      String id = String.format("%016x", i);
      DocumentRow d = new DocumentRow(id, "in", "doc" + i, 1000 + i % 97, "s" + i, "t" + i, "text/plain", "ok", "",
          1000 + i % 97, 0, null, null, null);
      rows.add(d);
      docs.put(id, d);
      vectors.put(d.textSha256(), v[i]);
    }
    List<PairRow> pairs = new ArrayList<>(hits.size());
    for (IndexedSearch.Hit h : hits) {
      DocumentRow a = rows.get(h.i()), b = rows.get(h.j());
      pairs.add(new PairRow(a.docId(), b.docId(), a.path(), b.path(), h.score(), PairRow.SEMANTIC, "", null));
    }
    // the guard on document cosine alone, at the threshold less a margin (made-up documents have no sketches)
    return org.doppel.job.cluster.SparkClustersTest.inSpark(jsc, pairs, docs, KeepPolicy.LARGEST, vectors, RunConfig.DEFAULT_DECISION.withGuard(threshold - 0.05, 2.0));
  }

  private static long key(IndexedSearch.Hit h) {
    return ((long) h.i() << 32) | h.j();
  }

  private static void write(Path file, List<IndexedSearch.Hit> hits) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(hits.size());
      for (IndexedSearch.Hit h : hits) out.writeLong(key(h));
    }
  }

  private static Set<Long> read(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
      int size = in.readInt();
      Set<Long> out = new HashSet<>(size * 2);
      for (int i = 0; i < size; i++) out.add(in.readLong());
      return out;
    }
  }
}
