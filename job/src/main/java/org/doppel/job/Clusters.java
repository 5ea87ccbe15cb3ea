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
import org.doppel.extractors.LexicalSketch;
import scala.Tuple2;

/**
 * pairs -> clusters: components of the decided pairs guarded against hubs ({@link GuardedComponents}: every
 * member must itself be close to the kept document, by document cosine or by lexical containment, at the
 * decision's guard bounds), one kept document per cluster chosen by the keep policy, and each member's
 * cosine to the kept document. {@link #of} runs in Spark: components
 * by {@link ConnectedComponents}, then each component's members, vectors and edges meet on one executor,
 * where the guard runs; {@link #onDriver} is the same computation in one JVM (the reference it is tested
 * against).
 */
public final class Clusters {
  /** What the guard needs of one document: its metadata (for the keep policy) and its text's vector. */
  record Member(DocumentRow doc, float[] vector) implements Serializable {}

  private Clusters() {}

  public static List<ClusterRow> of(JavaSparkContext jsc, List<PairRow> pairs, Map<String, DocumentRow> docsById,
                                    KeepPolicy keep, Map<String, float[]> vectorByText, Decision decision) {
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
          return guarded(local, docs, keep, vectors, decision).iterator();
        })
        .collect());
    return sorted(rows, docsById);
  }

  /** The same clusters as {@link #of}, computed in one JVM. */
  public static List<ClusterRow> onDriver(List<PairRow> pairs, Map<String, DocumentRow> docsById, KeepPolicy keep,
                                          Map<String, float[]> vectorByText, Decision decision) {
    List<String[]> edges = pairs.stream().map(p -> new String[] {p.docA(), p.docB()}).toList();
    return sorted(guarded(edges, docsById, keep, vectorByText, decision), docsById);
  }

  /** Guarded clusters of some edges as rows: kept document, members, each member's cosine to the kept one. */
  private static List<ClusterRow> guarded(List<String[]> edges, Map<String, DocumentRow> docsById, KeepPolicy keep,
                                          Map<String, float[]> vectorByText, Decision decision) {
    Comparator<String> keepOrder = (a, b) -> keep.order().compare(docsById.get(a), docsById.get(b));
    List<ClusterRow> rows = new ArrayList<>();
    for (List<String> ids : GuardedComponents.of(edges, keepOrder,
        (m, kept) -> {
          DocumentRow x = docsById.get(m), y = docsById.get(kept);
          return decision.guardAdmits(cosine(x, y, vectorByText), containment(x, y));
        })) {
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

  /** The larger of the two directed lexical containments (a short copy inside a long original counts). */
  static double containment(DocumentRow a, DocumentRow b) {
    if (a.textSha256().equals(b.textSha256())) return 1.0;
    LexicalSketch x = a.sketch(), y = b.sketch();
    if (x == null || y == null) return 0;
    return Math.max(x.containmentIn(y), y.containmentIn(x));
  }
}
