package org.doppel.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * pairs -> clusters: components of the flagged pairs guarded against hubs ({@link GuardedComponents}:
 * every member's cosine to the kept document must reach the bound), one kept document per cluster chosen
 * by the keep policy, and each member's cosine to the kept document.
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

  private Clusters() {}

  public static List<ClusterRow> of(List<PairRow> pairs, Map<String, DocumentRow> docsById, KeepPolicy keep,
                                    Map<String, float[]> vectorByText, double threshold) {
    List<String[]> edges = pairs.stream().map(p -> new String[] {p.docA(), p.docB()}).toList();
    Comparator<String> keepOrder = (a, b) -> keep.order().compare(docsById.get(a), docsById.get(b));
    List<List<String>> clusters = GuardedComponents.of(edges, keepOrder,
        (a, b) -> cosine(docsById.get(a), docsById.get(b), vectorByText), threshold - GUARD_MARGIN);

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
}
