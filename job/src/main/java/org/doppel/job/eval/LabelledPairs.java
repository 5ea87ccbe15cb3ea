package org.doppel.job.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    List<String> lines = Files.readAllLines(csv);
    List<String> header = Arrays.asList(fields(lines.get(0).strip()));
    int a = header.indexOf("doc_a"), b = header.indexOf("doc_b"), label = header.indexOf("label");
    int transform = header.indexOf("transform");
    if (a < 0 || b < 0 || label < 0 || transform < 0) {
      throw new IOException(csv + ": expected columns doc_a, doc_b, label, transform; got " + header);
    }
    List<Pair> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) continue;
      String[] f = fields(lines.get(i));
      if (f.length < header.size()) throw new IOException(csv + " line " + (i + 1) + ": " + f.length + " fields, expected " + header.size());
      out.add(new Pair(f[a], f[b], f[label], f[transform]));
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

  /** One RFC 4180 line (quoted fields may hold commas and doubled quotes; no line breaks inside). */
  static String[] fields(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out.toArray(String[]::new);
  }
}
