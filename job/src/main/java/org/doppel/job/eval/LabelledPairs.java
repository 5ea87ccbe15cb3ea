package org.doppel.job.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.doppel.job.report.Csv;

/**
 * A corpus' {@code ground_truth.csv} ({@code doc_a,doc_b,label,transform}; other columns ignored) and how
 * many of its pairs of each label and each transform a prediction flags: the recall per transform for
 * positives ({@code exact}, {@code near}), the false-positive rate per kind of negative ({@code different}).
 */
public final class LabelledPairs {
  public record Pair(String a, String b, String label, String transform) {}

  /** {@code kind} is {@link #ALL} for the label's total. */
  public record Flagged(String label, String kind, int pairs, int flagged) {
    public double rate() {
      return pairs == 0 ? 0 : flagged / (double) pairs;
    }
  }

  public static final String ALL = "*";
  private static final Pattern STEP = Pattern.compile("[A-Za-z_]+\\(.*\\)");
  private static final Pattern VARIANTS = Pattern.compile("\\[(.*)\\] vs \\[(.*)\\]");

  private LabelledPairs() {}

  public static List<Pair> read(Path csv) throws IOException {
    List<List<String>> records = Csv.records(csv);
    List<String> header = records.isEmpty() ? List.of() : records.get(0);
    int a = header.indexOf("doc_a"), b = header.indexOf("doc_b"), label = header.indexOf("label");
    int transform = header.indexOf("transform");
    if (a < 0 || b < 0 || label < 0 || transform < 0) {
      throw new IOException(csv + ": expected columns doc_a, doc_b, label, transform; got " + header);
    }
    List<Pair> out = new ArrayList<>();
    for (int i = 1; i < records.size(); i++) {
      List<String> f = records.get(i);
      if (f.size() < header.size()) throw new IOException(csv + " record " + (i + 1) + ": " + f.size() + " fields, expected " + header.size());
      out.add(new Pair(f.get(a), f.get(b), f.get(label), f.get(transform)));
    }
    return out;
  }

  /**
   * The kinds of edit a transform names. A generated transform chains steps with {@code +}, each
   * {@code name(args)} ("typos(rate=0.018)+format(docx->pdf)" -> typos, format): a pair counts under each.
   * A pair of two variants of one source, "[A] vs [B]", counts under the steps of both. Anything else is
   * one kind as written ("cut", "via_source:cut+heavy", "byte_copy").
   */
  public static List<String> kinds(String transform) {
    Matcher both = VARIANTS.matcher(transform);
    if (both.matches()) {
      Set<String> out = new LinkedHashSet<>(kinds(both.group(1)));
      out.addAll(kinds(both.group(2)));
      return List.copyOf(out);
    }
    List<String> steps = new ArrayList<>();
    int depth = 0, start = 0;
    for (int i = 0; i < transform.length(); i++) {
      char c = transform.charAt(i);
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (c == '+' && depth == 0) {
        steps.add(transform.substring(start, i));
        start = i + 1;
      }
    }
    steps.add(transform.substring(start));
    Set<String> out = new LinkedHashSet<>();
    for (String s : steps) {
      if (!STEP.matcher(s).matches()) return List.of(transform);
      out.add(s.substring(0, s.indexOf('(')));
    }
    return List.copyOf(out);
  }

  /** Per label (kind {@link #ALL}) and per label and transform kind: pairs and how many are predicted. */
  public static List<Flagged> flagged(List<Pair> pairs, Collection<List<String>> predicted) {
    Set<List<String>> keys = new HashSet<>();
    for (List<String> p : predicted) keys.add(key(p.get(0), p.get(1)));
    Map<List<String>, int[]> counts = new LinkedHashMap<>();
    for (Pair p : pairs) {
      int hit = keys.contains(key(p.a(), p.b())) ? 1 : 0;
      List<String> groups = new ArrayList<>();
      groups.add(ALL);
      groups.addAll(kinds(p.transform()));
      for (String kind : groups) {
        int[] c = counts.computeIfAbsent(List.of(p.label(), kind), k -> new int[2]);
        c[0]++;
        c[1] += hit;
      }
    }
    List<Flagged> out = new ArrayList<>();
    counts.forEach((k, c) -> out.add(new Flagged(k.get(0), k.get(1), c[0], c[1])));
    out.sort((x, y) -> x.label().equals(y.label())
        ? (x.kind().equals(ALL) ? -1 : y.kind().equals(ALL) ? 1 : x.kind().compareTo(y.kind()))
        : x.label().compareTo(y.label()));
    return out;
  }

  private static List<String> key(String a, String b) {
    return a.compareTo(b) < 0 ? List.of(a, b) : List.of(b, a);
  }
}
