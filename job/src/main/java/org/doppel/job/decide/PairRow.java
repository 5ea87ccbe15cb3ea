package org.doppel.job.decide;

import java.io.Serializable;
import org.doppel.job.data.DocumentRow;

/**
 * One row of the pairs report: an unordered document pair, once, with {@code pathA < pathB}. {@code score}
 * is the decision's probability (1.0 for exact copies); {@code method} says which evidence carried it.
 */
public record PairRow(String docA, String docB, String pathA, String pathB, double score, String method,
                      String reason, PairEvidence evidence) implements Serializable {

  public static final String EXACT = "exact";
  public static final String LEXICAL = "lexical";
  public static final String SEMANTIC = "semantic";
  public static final String BOTH = "both";

  public static PairRow exact(DocumentRow a, DocumentRow b, String how, PairEvidence identical) {
    return of(a, b, 1.0, EXACT, how, identical);
  }

  /** Orders the two documents by path, swapping the evidence with them. */
  public static PairRow of(DocumentRow a, DocumentRow b, double score, String method, String reason, PairEvidence evidence) {
    if (a.path().compareTo(b.path()) > 0) {
      return new PairRow(b.docId(), a.docId(), b.path(), a.path(), score, method, reason,
          evidence == null ? null : evidence.swapped());
    }
    return new PairRow(a.docId(), b.docId(), a.path(), b.path(), score, method, reason, evidence);
  }

  public PairRow withReason(String r) {
    return new PairRow(docA, docB, pathA, pathB, score, method, r, evidence);
  }

  public PairRow withEvidence(PairEvidence e) {
    return new PairRow(docA, docB, pathA, pathB, score, method, reason, e);
  }

  public Alignment alignment() {
    return evidence == null ? null : evidence.alignment();
  }
}
