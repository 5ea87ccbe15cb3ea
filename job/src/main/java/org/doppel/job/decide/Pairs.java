package org.doppel.job.decide;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.doppel.job.corpus.ExactGroups;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.EmbeddedText;
import scala.Tuple2;

/**
 * Text pairs -> document pairs, distributed: exact pairs inside each text group, decided pairs expanded to every copy
 * of both texts. An exact group of more than {@link #STAR_ABOVE} copies is linked as a star to its first member (by
 * path; the one embedded) instead of emitting all g (g - 1) / 2 pairs, and takes part in decided pairs through that
 * member alone: its clusters are the same, with linearly many rows.
 */
public final class Pairs {
  public static final int STAR_ABOVE = 64;

  private Pairs() {}

  /** Every pair of the run, unordered and once (path_a < path_b); unsorted. */
  public static JavaRDD<PairRow> of(ExactGroups groups, JavaRDD<TextPair> decided, JavaRDD<EmbeddedText> texts,
                                    Decision decision, double threshold) {
    JavaPairRDD<String, List<DocumentRow>> byText = groups.members().groupByKey().mapValues(Pairs::sorted)
        .persist(StorageLevel.MEMORY_AND_DISK());
    int minTerms = decision.minTerms();
    JavaRDD<PairRow> exact = byText.filter(kv -> kv._2().size() > 1)
        .join(PassageAligner.identical(texts))
        .flatMap(kv -> exact(kv._2()._1(), minTerms).stream().map(p -> p.withEvidence(kv._2()._2())).iterator());
    JavaPairRDD<String, List<DocumentRow>> sides = byText.mapValues(g -> g.size() > STAR_ABOVE ? g.subList(0, 1) : g);
    JavaRDD<PairRow> semantic = decided.mapToPair(tp -> new Tuple2<>(tp.textA(), tp)).join(sides)
        .mapToPair(kv -> new Tuple2<>(kv._2()._1().textB(), kv._2()))
        .join(sides)
        .flatMap(kv -> {
          TextPair tp = kv._2()._1()._1();
          String method = decision.method(tp.evidence());
          List<PairRow> out = new ArrayList<>();
          for (DocumentRow a : kv._2()._1()._2()) {
            for (DocumentRow b : kv._2()._2()) {
              PairRow p = PairRow.of(a, b, tp.score(), method, null, tp.evidence()); // evidence turned to path order
              out.add(p.withReason(decision.reason(p.evidence(), tp.score(), threshold)));
            }
          }
          return out.iterator();
        });
    return exact.union(semantic);
  }

  private static List<DocumentRow> sorted(Iterable<DocumentRow> members) {
    List<DocumentRow> out = new ArrayList<>();
    members.forEach(out::add);
    out.sort(Comparator.comparing(DocumentRow::path));
    return out;
  }

  /**
   * The exact pairs of one group (sorted by path), path_a < path_b, evidence filled in later: every pair, or for a
   * group of more than {@link #STAR_ABOVE} the first member with each other one. Copies of a text shorter than
   * {@code minTerms} words pair only when their bytes are the same: many files whose whole text is "Untitled" are not
   * duplicates of each other.
   */
  public static List<PairRow> exact(List<DocumentRow> group, int minTerms) {
    List<PairRow> out = new ArrayList<>();
    int firsts = group.size() > STAR_ABOVE ? 1 : group.size();
    for (int i = 0; i < firsts; i++) {
      for (int j = i + 1; j < group.size(); j++) {
        DocumentRow a = group.get(i), b = group.get(j);
        boolean sameBytes = a.sha256() != null && a.sha256().equals(b.sha256());
        if (!sameBytes && a.sketch().terms() < minTerms) continue;
        out.add(PairRow.exact(a, b, sameBytes ? "same bytes" : "same normalised text", null));
      }
    }
    return out;
  }
}
