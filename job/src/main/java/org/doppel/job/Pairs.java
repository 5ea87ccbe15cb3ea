package org.doppel.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text pairs -> document pairs: exact pairs inside each text group, semantic pairs expanded to every copy. */
public final class Pairs {
  private Pairs() {}

  public static List<PairRow> of(ExactGroups groups, List<TextPair> semantic, Map<String, Alignment> shared,
                                 double threshold) {
    List<PairRow> out = new ArrayList<>();
    for (PairRow p : groups.exactPairs()) {
      String text = groups.textOf(p.docA());
      out.add(p.withAlignment(shared.get(text)));
    }
    for (TextPair tp : semantic) {
      String reason = String.format(Locale.ROOT, "cosine %.4f >= %.2f", tp.score(), threshold);
      for (DocumentRow a : groups.members(tp.textA())) {
        for (DocumentRow b : groups.members(tp.textB())) {
          out.add(PairRow.of(a, b, tp.score(), PairRow.SEMANTIC, reason, tp.alignment()));
        }
      }
    }
    out.sort(Comparator.comparingDouble(PairRow::score).reversed().thenComparing(PairRow::pathA).thenComparing(PairRow::pathB));
    return out;
  }
}
