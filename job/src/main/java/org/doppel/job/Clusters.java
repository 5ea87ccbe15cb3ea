package org.doppel.job;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * pairs -> clusters: components of the flagged pairs guarded against hubs ({@link GuardedComponents}:
 * every member's cosine to the kept document must reach the bound), one kept document per cluster chosen
 * by the keep policy, and each member's cosine to the kept document. {@link #of} runs in Spark: components
 * by {@link ConnectedComponents}, then each component's members, vectors and edges meet on one executor,
 * where the guard runs; {@link #onDriver} is the same computation in one JVM (the reference it is tested
 * against).
 */
public final class Clusters {
  /**
   * A member must be this close to its kept document: the pair threshold less this margin. Measured with
   * {@code doppel eval --guard-margin} at the default threshold 0.93 (ARI of the guarded clusters):
   * margin 0 gives neardup-small 0.873 but clough-stevenson 0.536 (short answers cluster around their
   * source, not around the largest answer); 0.05 keeps both at their unguarded 0.825 / 0.722 while still
   * splitting a group joined only through a hub (a member must reach 0.88 to the kept document).
   */
  public static final double GUARD_MARGIN = 0.05;

  /** What the guard needs of one document: its metadata (for the keep policy) and its text's vector. */
  record Member(DocumentRow doc, float[] vector) implements Serializable {}

  private Clusters() {}

  public static List<ClusterRow> of(JavaSparkContext jsc, List<PairRow> pairs, Map<String, DocumentRow> docsById,
                                    KeepPolicy keep, Map<String, float[]> vectorByText, double threshold) {
    if (pairs.isEmpty()) return List.of();
    int partitions = Math.max(1, jsc.defaultParallelism() * 2);
    JavaPairRDD<String, String> edges = jsc.parallelizePairs(
        pairs.stream().map(p -> new Tuple2<>(p.docA(), p.docB())).toList(), partitions);
    JavaPairRDD<String, String> labels = ConnectedComponents.of(edges, partitions).labels();
    Map<String, Member> involved = new LinkedHashMap<>();
    for (PairRow p : pairs) {
      for (String id : List.of(p.docA(), p.docB())) {
        DocumentRow d = docsById.get(id);
        involved.computeIfAbsent(id, k -> new Member(d, vectorByText.get(d.textSha256())));
      }
    }
    JavaPairRDD<String, Member> members = jsc.parallelizePairs(
        involved.entrySet().stream().map(e -> new Tuple2<>(e.getKey(), e.getValue())).toList(), partitions);
    JavaPairRDD<String, Member> membersByComponent = labels.join(members).mapToPair(kv -> kv._2());
    JavaPairRDD<String, Tuple2<String, String>> edgesByComponent = edges.join(labels)
        .mapToPair(kv -> new Tuple2<>(kv._2()._2(), new Tuple2<>(kv._1(), kv._2()._1())));
    double bound = threshold - GUARD_MARGIN;
    List<ClusterRow> rows = new ArrayList<>(membersByComponent.cogroup(edgesByComponent, partitions)
        .flatMap(kv -> {
          Map<String, DocumentRow> docs = new HashMap<>();
          Map<String, float[]> vectors = new HashMap<>();
          for (Member m : kv._2()._1()) {
            docs.put(m.doc().docId(), m.doc());
            vectors.put(m.doc().textSha256(), m.vector());
          }
          List<String[]> local = new ArrayList<>();
          for (Tuple2<String, String> e : kv._2()._2()) local.add(new String[] {e._1(), e._2()});
          return guarded(local, docs, keep, vectors, bound).iterator();
        })
        .collect());
    return sorted(rows, docsById);
  }

  /** The same clusters as {@link #of}, computed in one JVM. */
  public static List<ClusterRow> onDriver(List<PairRow> pairs, Map<String, DocumentRow> docsById, KeepPolicy keep,
                                          Map<String, float[]> vectorByText, double threshold) {
    List<String[]> edges = pairs.stream().map(p -> new String[] {p.docA(), p.docB()}).toList();
    return sorted(guarded(edges, docsById, keep, vectorByText, threshold - GUARD_MARGIN), docsById);
  }

  /** Guarded clusters of some edges as rows: kept document, members, each member's cosine to the kept one. */
  private static List<ClusterRow> guarded(List<String[]> edges, Map<String, DocumentRow> docsById, KeepPolicy keep,
                                          Map<String, float[]> vectorByText, double bound) {
    Comparator<String> keepOrder = (a, b) -> keep.order().compare(docsById.get(a), docsById.get(b));
    List<ClusterRow> rows = new ArrayList<>();
    for (List<String> ids : GuardedComponents.of(edges, keepOrder,
        (a, b) -> cosine(docsById.get(a), docsById.get(b), vectorByText), bound)) {
      DocumentRow kept = docsById.get(ids.get(0));
      for (String id : ids) {
        DocumentRow m = docsById.get(id);
        rows.add(new ClusterRow(kept.docId(), m.docId(), m.path(), m == kept, cosine(m, kept, vectorByText), ids.size()));
      }
    }
    return rows;
  }

  /** Clusters by their kept document's path, the kept document first, then members by path. */
  private static List<ClusterRow> sorted(List<ClusterRow> rows, Map<String, DocumentRow> docsById) {
    List<ClusterRow> out = new ArrayList<>(rows);
    out.sort(Comparator.comparing((ClusterRow r) -> docsById.get(r.clusterId()).path()).thenComparing(r -> !r.keep())
        .thenComparing(ClusterRow::path));
    return out;
  }

  static double cosine(DocumentRow a, DocumentRow b, Map<String, float[]> vectorByText) {
    if (a.textSha256().equals(b.textSha256())) return 1.0;
    return Math.min(1.0, PassageAligner.dot(vectorByText.get(a.textSha256()), vectorByText.get(b.textSha256())));
  }
}
