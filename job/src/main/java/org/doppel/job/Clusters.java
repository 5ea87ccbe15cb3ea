package org.doppel.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * pairs -> clusters: connected components of the flagged pairs (union-find), one kept document per cluster
 * chosen by the keep policy, and each member's cosine to the kept document.
 */
public final class Clusters {
  private Clusters() {}

  public static List<ClusterRow> of(List<PairRow> pairs, Map<String, DocumentRow> docsById, KeepPolicy keep,
                                    Map<String, float[]> vectorByText) {
    Map<String, String> parent = new HashMap<>();
    for (PairRow p : pairs) union(parent, p.docA(), p.docB());
    Map<String, List<DocumentRow>> components = new TreeMap<>();
    for (String id : parent.keySet()) components.computeIfAbsent(find(parent, id), k -> new ArrayList<>()).add(docsById.get(id));

    List<ClusterRow> rows = new ArrayList<>();
    for (List<DocumentRow> members : components.values()) {
      members.sort(keep.order());
      DocumentRow kept = members.get(0);
      float[] keptVector = vectorByText.get(kept.textSha256());
      members.sort(Comparator.comparing(DocumentRow::path));
      for (DocumentRow m : members) {
        double score = m == kept || m.textSha256().equals(kept.textSha256()) ? 1.0
            : PassageAligner.dot(vectorByText.get(m.textSha256()), keptVector);
        rows.add(new ClusterRow(kept.docId(), m.docId(), m.path(), m == kept, Math.min(1.0, score), members.size()));
      }
    }
    rows.sort(Comparator.comparing((ClusterRow r) -> docsById.get(r.clusterId()).path()).thenComparing(r -> !r.keep()).thenComparing(ClusterRow::path));
    return rows;
  }

  private static String find(Map<String, String> parent, String x) {
    String root = x;
    while (!parent.get(root).equals(root)) root = parent.get(root);
    while (!parent.get(x).equals(root)) {
      String next = parent.get(x);
      parent.put(x, root);
      x = next;
    }
    return root;
  }

  private static void union(Map<String, String> parent, String a, String b) {
    parent.putIfAbsent(a, a);
    parent.putIfAbsent(b, b);
    String ra = find(parent, a), rb = find(parent, b);
    if (!ra.equals(rb)) parent.put(ra.compareTo(rb) < 0 ? rb : ra, ra.compareTo(rb) < 0 ? ra : rb);
  }
}
