package org.doppel.job.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.doppel.extractors.LexicalSketch;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.TextVector;
import org.doppel.job.decide.Decision;
import org.doppel.job.decide.PairRow;
import org.doppel.job.decide.PassageAligner;
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

  /** Every member of every cluster (unsorted), computed on the executors from the pairs, documents and vectors. */
  public static JavaRDD<ClusterRow> of(JavaRDD<PairRow> pairs, JavaRDD<DocumentRow> docs, JavaRDD<TextVector> vectors,
                                       KeepPolicy keep, Decision decision, int partitions) {
    JavaPairRDD<String, String> edges = pairs.mapToPair(p -> new Tuple2<>(p.docA(), p.docB()))
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaPairRDD<String, String> labels = ConnectedComponents.of(edges, partitions).labels();
    JavaPairRDD<String, Member> membersByComponent = docs.mapToPair(d -> new Tuple2<>(d.docId(), d)).join(labels)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1().textSha256(), kv._2()))
        .join(vectors.mapToPair(v -> new Tuple2<>(v.textSha256(), v.vector())))
        .mapToPair(kv -> new Tuple2<>(kv._2()._1()._2(), new Member(kv._2()._1()._1(), kv._2()._2())));
    JavaPairRDD<String, Tuple2<String, String>> edgesByComponent = edges.join(labels)
        .mapToPair(kv -> new Tuple2<>(kv._2()._2(), new Tuple2<>(kv._1(), kv._2()._1())));
    return membersByComponent.cogroup(edgesByComponent, partitions)
        .flatMap(kv -> {
          Map<String, DocumentRow> byId = new HashMap<>();
          Map<String, float[]> byText = new HashMap<>();
          for (Member m : kv._2()._1()) {
            byId.put(m.doc().docId(), m.doc());
            byText.put(m.doc().textSha256(), m.vector());
          }
          List<String[]> local = new ArrayList<>();
          for (Tuple2<String, String> e : kv._2()._2()) local.add(new String[] {e._1(), e._2()});
          return guarded(local, byId, keep, byText, decision).iterator();
        });
  }

  /** The same clusters as {@link #of}, computed in one JVM. */
  public static List<ClusterRow> onDriver(List<PairRow> pairs, Map<String, DocumentRow> docsById, KeepPolicy keep,
                                          Map<String, float[]> vectorByText, Decision decision) {
    List<String[]> edges = pairs.stream().map(p -> new String[] {p.docA(), p.docB()}).toList();
    List<ClusterRow> out = new ArrayList<>(guarded(edges, docsById, keep, vectorByText, decision));
    out.sort(Comparator.comparing((ClusterRow r) -> docsById.get(r.clusterId()).path()).thenComparing(r -> !r.keep())
        .thenComparing(ClusterRow::path));
    return out;
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
