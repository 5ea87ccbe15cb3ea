package org.doppel.job;

import java.io.Serializable;

/** One row of the pairs report: an unordered document pair, once, with {@code pathA < pathB}. */
public record PairRow(String docA, String docB, String pathA, String pathB, double score, String method,
                      String reason, Alignment alignment) implements Serializable {

  public static final String EXACT = "exact";
  public static final String SEMANTIC = "semantic";

  static PairRow exact(DocumentRow a, DocumentRow b, String how) {
    return of(a, b, 1.0, EXACT, how, null);
  }

  /** Orders the two documents by path, swapping the alignment with them. */
  static PairRow of(DocumentRow a, DocumentRow b, double score, String method, String reason, Alignment alignment) {
    if (a.path().compareTo(b.path()) > 0) {
      return new PairRow(b.docId(), a.docId(), b.path(), a.path(), score, method, reason,
          alignment == null ? null : alignment.swapped());
    }
    return new PairRow(a.docId(), b.docId(), a.path(), b.path(), score, method, reason, alignment);
  }

  PairRow withAlignment(Alignment al) {
    return new PairRow(docA, docB, pathA, pathB, score, method, reason, al);
  }
}
