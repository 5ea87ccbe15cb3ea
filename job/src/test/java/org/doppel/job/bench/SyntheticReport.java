package org.doppel.job.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.decide.Alignment;
import org.doppel.job.decide.PairEvidence;
import org.doppel.job.decide.PairRow;
import org.doppel.job.decide.Passage;
import org.doppel.job.report.HtmlReport;
import org.doppel.job.report.PassageContexts;
import org.doppel.job.report.PassageContexts.Context;
import org.doppel.job.report.PassageContexts.Span;

/**
 * The records report.html is written from, for a corpus shaped like a low-threshold run over a generated near-duplicate
 * corpus, without running one: families of same-topic documents (Zipf-distributed words, 150 to 4,000 words each,
 * log-uniform), near-duplicate clusters of 2 to 6 within a family (edited copies, one in ten a byte copy), every
 * pair within a cluster (scores mostly above 0.99) and same-family pairs at lower scores (0.45 to 0.95) until the
 * wanted number of pairs. Texts are cut into model-sized windows (2,400 characters, 300 shared); each pair has up
 * to 3 window pairs with the context around them cut as the executors cut it. The documents are written as files,
 * so the page links them. Deterministic for a seed.
 */
public final class SyntheticReport {
  static final int WINDOW = 2400, OVERLAP = 300, FAMILY = 40;

  public final Map<String, Object> summary = new LinkedHashMap<>();
  public final List<DocumentRow> docs = new ArrayList<>();
  public final List<PairRow> pairs = new ArrayList<>();
  public final List<ClusterRow> clusters = new ArrayList<>();
  private final Map<String, String> texts = new HashMap<>();

  /** {@code pairs} pairs among about pairs / 5 documents written under {@code corpus}. */
  public SyntheticReport(int wantedPairs, Path corpus, long seed) throws IOException {
    Random rnd = new Random(seed);
    String[] vocabulary = new String[5000];
    for (int i = 0; i < vocabulary.length; i++) vocabulary[i] = word(rnd);
    int nDocs = Math.max(4, wantedPairs / 5);
    List<List<DocumentRow>> families = new ArrayList<>();
    List<List<List<DocumentRow>>> clustersByFamily = new ArrayList<>();
    for (int f = 0; docs.size() < nDocs; f++) {
      List<DocumentRow> family = new ArrayList<>();
      List<List<DocumentRow>> familyClusters = new ArrayList<>();
      while (family.size() < FAMILY && docs.size() < nDocs) {
        int size = 2 + rnd.nextInt(5);
        String base = text(rnd, vocabulary, (int) Math.exp(Math.log(150) + rnd.nextDouble() * Math.log(4000 / 150.0)));
        List<DocumentRow> cluster = new ArrayList<>();
        for (int c = 0; c < size && docs.size() < nDocs; c++) {
          String t = c == 0 || rnd.nextInt(10) == 0 ? base : edit(rnd, vocabulary, base);
          DocumentRow d = doc(corpus, String.format(Locale.ROOT, "family-%03d/doc-%05d.txt", f, docs.size()), t);
          docs.add(d);
          family.add(d);
          cluster.add(d);
        }
        familyClusters.add(cluster);
      }
      families.add(family);
      clustersByFamily.add(familyClusters);
    }
    Set<String> seen = new HashSet<>();
    for (List<List<DocumentRow>> fc : clustersByFamily) {
      for (List<DocumentRow> cluster : fc) {
        for (int i = 0; i < cluster.size(); i++) {
          for (int j = i + 1; j < cluster.size() && pairs.size() < wantedPairs; j++) {
            add(rnd, cluster.get(i), cluster.get(j), 0.99 + rnd.nextDouble() * 0.01, seen);
          }
        }
        if (cluster.size() > 1) {
          DocumentRow kept = cluster.get(0);
          for (DocumentRow m : cluster) {
            clusters.add(new ClusterRow(kept.docId(), m.docId(), m.path(), m == kept, m == kept ? 1 : 0.97 + rnd.nextDouble() * 0.03,
                cluster.size()));
          }
        }
      }
    }
    for (int tries = 0; pairs.size() < wantedPairs && tries < wantedPairs * 20; tries++) {
      List<DocumentRow> family = families.get(rnd.nextInt(families.size()));
      add(rnd, family.get(rnd.nextInt(family.size())), family.get(rnd.nextInt(family.size())), 0.45 + rnd.nextDouble() * 0.5, seen);
    }
    pairs.sort((x, y) -> Double.compare(y.score(), x.score()));
    long exact = pairs.stream().filter(p -> PairRow.EXACT.equals(p.method())).count();
    summary.put("inputs", List.of(corpus.toString()));
    summary.put("files", docs.size());
    summary.put("status_counts", Map.of("ok", (long) docs.size()));
    summary.put("pairs", pairs.size());
    summary.put("pairs_exact", exact);
    summary.put("pairs_both", pairs.size() - exact);
    summary.put("clusters", clusters.stream().map(ClusterRow::clusterId).distinct().count());
    summary.put("clustered_documents", clusters.size());
    summary.put("threshold", 0.45);
    summary.put("stage_seconds", Map.of("embed", 60.0));
  }

  /** The context around every span the report asks for, cut as {@link PassageContexts#collect} does. */
  public Map<Span, Context> contexts(HtmlReport html) {
    Map<Span, Context> out = new HashMap<>();
    for (Span s : html.spans()) out.put(s, PassageContexts.around(texts.get(s.textSha256()), s, HtmlReport.CONTEXT_CHARS));
    return out;
  }

  private DocumentRow doc(Path corpus, String path, String text) throws IOException {
    Path file = corpus.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    String sha = Integer.toHexString(text.hashCode()) + "-" + text.length();
    texts.put(sha, text);
    return new DocumentRow(DocumentRow.docIdFor(path), corpus.toString(), path, text.length(), sha, sha, "text/plain", "ok",
        null, text.length(), 0, null, null, null);
  }

  private void add(Random rnd, DocumentRow a, DocumentRow b, double score, Set<String> seen) {
    if (a == b || !seen.add(a.docId().compareTo(b.docId()) < 0 ? a.docId() + b.docId() : b.docId() + a.docId())) return;
    String ta = texts.get(a.textSha256()), tb = texts.get(b.textSha256());
    List<int[]> wa = windows(ta.length()), wb = windows(tb.length());
    List<Passage> top = new ArrayList<>();
    Set<Integer> usedA = new HashSet<>(), usedB = new HashSet<>();
    boolean near = score > 0.98;
    for (int k = 0; k < Math.min(3, Math.min(wa.size(), wb.size())); k++) {
      int i = near ? k : rnd.nextInt(wa.size()), j = near ? Math.min(k, wb.size() - 1) : rnd.nextInt(wb.size());
      if (!usedA.add(i) || !usedB.add(j)) continue;
      int[] x = wa.get(i), y = wb.get(j);
      top.add(new Passage(x[0], x[1], ta.substring(x[0], x[1]), y[0], y[1], tb.substring(y[0], y[1]),
          near ? 0.97 + rnd.nextDouble() * 0.03 : 0.80 + rnd.nextDouble() * 0.15));
    }
    boolean same = ta.equals(tb);
    double cosine = near ? 0.98 + rnd.nextDouble() * 0.02 : 0.8 + rnd.nextDouble() * 0.15;
    PairEvidence e = new PairEvidence(cosine, new Alignment(top, near ? 1 : 0.3, near ? 1 : 0.3), near ? 0.9 : 0.1, 0.9, 0.9,
        ta.length() / 6, tb.length() / 6);
    String reason = same ? "same text"
        : String.format(Locale.ROOT, "p %.3f >= 0.45: cosine %.3f, best passage %.3f, coverage %.2f/%.2f, lexical resemblance %.2f, "
            + "containment %.2f/%.2f", score, cosine, top.isEmpty() ? 0 : top.get(0).score(), near ? 1.0 : 0.3, near ? 1.0 : 0.3,
            near ? 0.9 : 0.1, 0.9, 0.9);
    pairs.add(same ? PairRow.exact(a, b, reason, e) : PairRow.of(a, b, score, PairRow.BOTH, reason, e));
  }

  /** Window offsets as the embedder cuts a text: fixed width, overlapping. */
  static List<int[]> windows(int length) {
    List<int[]> out = new ArrayList<>();
    for (int s = 0; ; s += WINDOW - OVERLAP) {
      out.add(new int[] {s, Math.min(length, s + WINDOW)});
      if (s + WINDOW >= length) return out;
    }
  }

  private static String word(Random rnd) {
    int n = 2 + rnd.nextInt(9);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) sb.append((char) ('a' + rnd.nextInt(26)));
    return sb.toString();
  }

  /** Zipf-distributed words in sentences of 8 to 25 words, paragraphs of 3 to 7 sentences. */
  private static String text(Random rnd, String[] vocabulary, int words) {
    StringBuilder sb = new StringBuilder(words * 7);
    int sentence = 0, paragraph = 0;
    for (int i = 0; i < words; i++) {
      String w = vocabulary[(int) Math.min(vocabulary.length - 1, Math.floor(Math.pow(vocabulary.length, rnd.nextDouble())) - 1)];
      if (sentence == 0) w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
      sb.append(w);
      if (++sentence >= 8 + rnd.nextInt(18)) {
        sb.append('.');
        sentence = 0;
        sb.append(++paragraph % (3 + rnd.nextInt(5)) == 0 ? "\n\n" : " ");
      } else {
        sb.append(rnd.nextInt(15) == 0 ? ", " : " ");
      }
    }
    return sb.toString().strip() + ".";
  }

  /** A near-duplicate: about 2% of the words replaced, and perhaps a sentence's worth of words cut. */
  private static String edit(Random rnd, String[] vocabulary, String base) {
    String[] words = base.split(" ", -1);
    for (int i = 0; i < words.length; i++) if (rnd.nextInt(50) == 0) words[i] = vocabulary[rnd.nextInt(vocabulary.length)];
    String out = String.join(" ", words);
    if (rnd.nextBoolean() && out.length() > 400) {
      int at = rnd.nextInt(out.length() - 200);
      out = out.substring(0, at) + out.substring(at + 120);
    }
    return out;
  }
}
