package org.doppel.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Text pairs -> document pairs: exact pairs inside each text group, decided pairs expanded to every copy. */
public final class Pairs {
  private Pairs() {}

  public static List<PairRow> of(ExactGroups groups, List<TextPair> decided, Map<String, PairEvidence> shared,
                                 Decision decision, double threshold) {
    List<PairRow> out = new ArrayList<>();
    for (PairRow p : groups.exactPairs(decision.minTerms())) {
      out.add(p.withEvidence(shared.get(groups.textOf(p.docA()))));
    }
    for (TextPair tp : decided) {
      String method = decision.method(tp.evidence());
      String reason = decision.reason(tp.evidence(), tp.score(), threshold);
      for (DocumentRow a : groups.members(tp.textA())) {
        for (DocumentRow b : groups.members(tp.textB())) out.add(PairRow.of(a, b, tp.score(), method, reason, tp.evidence()));
      }
    }
    out.sort(Comparator.comparingDouble(PairRow::score).reversed().thenComparing(PairRow::pathA).thenComparing(PairRow::pathB));
    return out;
  }
}
