package org.doppel.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.doppel.extractors.LexicalSketch;

/**
 * pairs -> clusters: components of the decided pairs guarded against hubs ({@link GuardedComponents}: every
 * member must itself be close to the kept document, by document cosine or by lexical containment, at the
 * decision's guard bounds), one kept document per cluster chosen by the keep policy, and each member's
 * cosine to the kept document.
 */
public final class Clusters {
  private Clusters() {}

  public static List<ClusterRow> of(List<PairRow> pairs, Map<String, DocumentRow> docsById, KeepPolicy keep,
                                    Map<String, float[]> vectorByText, Decision decision) {
    List<String[]> edges = pairs.stream().map(p -> new String[] {p.docA(), p.docB()}).toList();
    Comparator<String> keepOrder = (a, b) -> keep.order().compare(docsById.get(a), docsById.get(b));
    List<List<String>> clusters = GuardedComponents.of(edges, keepOrder, (m, kept) -> {
      DocumentRow x = docsById.get(m), y = docsById.get(kept);
      return decision.guardAdmits(cosine(x, y, vectorByText), containment(x, y));
    });

    List<ClusterRow> rows = new ArrayList<>();
    for (List<String> ids : clusters) {
      DocumentRow kept = docsById.get(ids.get(0));
      List<DocumentRow> members = new ArrayList<>(ids.stream().map(docsById::get).toList());
      members.sort(Comparator.comparing(DocumentRow::path));
      for (DocumentRow m : members) {
        rows.add(new ClusterRow(kept.docId(), m.docId(), m.path(), m == kept, cosine(m, kept, vectorByText), members.size()));
      }
    }
    rows.sort(Comparator.comparing((ClusterRow r) -> docsById.get(r.clusterId()).path()).thenComparing(r -> !r.keep())
        .thenComparing(ClusterRow::path));
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
    return Math.max(x.containmentIn(y), y.containmentIn(x));
  }
}
