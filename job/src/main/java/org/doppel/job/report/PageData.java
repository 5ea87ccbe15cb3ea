package org.doppel.job.report;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.report.PassageContexts.Context;

/**
 * report.html's one data block, which its script draws the pairs from: the documents the page names and a row per
 * listed pair (referring to documents by index), read at once; and, gzip-compressed (the script inflates it with
 * the browser's DecompressionStream before drawing an opened pair), what only an opened pair shows: its reason and
 * passages, and once per distinct text the characters of it the passages show (windows and context, merged into
 * segments). Many pairs share a document and its windows, so the page grows with the texts it shows rather than
 * with the pairs; a byte budget bounds the page whatever the texts: pairs past it are listed without passages.
 */
final class PageData {
  /** Characters of text at an offset: [at, at + text.length()). */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  record Segment(int at, String text) {}

  /** {@code t}: index of its text's segments (absent without text); {@code href}: a link to the local file. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Doc(String id, String path, String href, String meta, int chars, Integer t) {}

  /**
   * Pair {@code n} (its anchor is pair-n) of documents {@code a} and {@code b}: score, method, coverage in percent,
   * {@code k} the kept document of its cluster.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Pair(int n, int a, int b, String s, String m, Integer ca, Integer cb, Integer k) {}

  /** What an opened pair shows: its reason, {@code p} its passages, {@code cut} when the page left them out. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Detail(String r, List<PassageView.Shown> p, Boolean cut) {}

  /** Drawn when a pair is opened; index i of {@code details} is pair i's. */
  record Lazy(List<List<Segment>> texts, List<Detail> details) {}

  /** {@code z}: the {@link Lazy} part as base64 of gzip of its JSON. */
  record Data(List<Doc> docs, List<Pair> pairs, String z) {}

  private record Piece(int from, String text) {}

  private final List<Doc> docs = new ArrayList<>();
  private final Map<String, Integer> docIndex = new HashMap<>();
  private final List<List<Piece>> texts = new ArrayList<>();
  private final List<TreeMap<Integer, Integer>> covered = new ArrayList<>(); // per text: merged [from, to) carried
  private final Map<String, Integer> textIndex = new HashMap<>();
  private final List<Pair> pairs = new ArrayList<>();
  private final List<Detail> details = new ArrayList<>();

  /** The document's index, added on first use. */
  int doc(DocumentRow d, String fallbackId, String fallbackPath, String href) {
    String id = d == null ? fallbackId : d.docId();
    Integer i = docIndex.get(id);
    if (i != null) return i;
    Integer t = d == null || d.textSha256() == null ? null : textIndex.computeIfAbsent(d.textSha256(), k -> {
      texts.add(new ArrayList<>());
      covered.add(new TreeMap<>());
      return texts.size() - 1;
    });
    String meta = d == null ? "" : d.mediaType() + " \u00b7 " + Html.count(d.chars()) + " chars \u00b7 " + Html.bytes(d.sizeBytes());
    docs.add(new Doc(id, Html.clean(d == null ? fallbackPath : d.path()), href, Html.clean(meta), d == null ? 0 : d.chars(), t));
    docIndex.put(id, docs.size() - 1);
    return docs.size() - 1;
  }

  /** Listed pair number {@code n}. */
  Pair row(int n) {
    return pairs.get(n - 1);
  }

  /** The index of document {@code i}'s text, or null. */
  Integer textOf(int i) {
    return docs.get(i).t();
  }

  /** One side of a passage as the page shows it: its text index, window text and context. */
  record SideText(Integer text, String window, Context context) {}

  /** Pair {@code p} is listed, with its reason (its passages, if any, come with {@link #carry}); in order of n. */
  void pair(Pair p, String reason) {
    pairs.add(new Pair(p.n(), p.a(), p.b(), p.s(), Html.clean(p.m()), p.ca(), p.cb(), p.k()));
    details.add(new Detail(reason == null ? null : Html.clean(reason), null, null));
  }

  /**
   * Gives listed pair number {@code n} its passages and adds the characters they show to their texts' segments,
   * if that costs at most {@code budget} bytes of page (text not yet carried, and the passages' offsets); returns
   * the bytes it cost, or -1 (nothing added; the pair is marked cut) when it would cost more.
   */
  long carry(int n, List<PassageView.Shown> shown, List<SideText[]> sides, long budget) {
    List<Integer> keys = new ArrayList<>();
    List<Piece> wanted = new ArrayList<>();
    Map<Integer, TreeMap<Integer, Integer>> trial = new HashMap<>();
    long cost = Json.line(shown).length();
    for (int k = 0; k < shown.size(); k++) {
      PassageView.Side[] views = {shown.get(k).a(), shown.get(k).b()};
      for (int s = 0; s < 2; s++) {
        SideText side = sides.get(k)[s];
        if (side.text() == null) continue;
        String before = side.context() == null ? "" : side.context().before();
        String after = side.context() == null ? "" : side.context().after();
        String all = before + side.window() + after;
        PassageView.Side v = views[s];
        for (int[] r : v.ranges()) {
          Piece p = new Piece(r[0], all.substring(r[0] - v.ctxFrom(), r[1] - v.ctxFrom()));
          TreeMap<Integer, Integer> cov = trial.computeIfAbsent(side.text(), t -> new TreeMap<>(covered.get(t)));
          cost += uncoveredBytes(cov, p);
          keys.add(side.text());
          wanted.add(p);
        }
      }
    }
    if (cost > budget) {
      cut(n);
      return -1;
    }
    trial.forEach((t, cov) -> covered.set(t, cov));
    for (int i = 0; i < wanted.size(); i++) texts.get(keys.get(i)).add(wanted.get(i));
    details.set(n - 1, new Detail(details.get(n - 1).r(), shown, null));
    return cost;
  }

  /** Listed pair number {@code n} has passages the page leaves out. */
  void cut(int n) {
    details.set(n - 1, new Detail(details.get(n - 1).r(), null, true));
  }

  /** UTF-8 bytes of the piece's characters not yet in {@code cov}, which then holds them. */
  private static long uncoveredBytes(TreeMap<Integer, Integer> cov, Piece p) {
    int from = p.from(), to = p.from() + p.text().length();
    long bytes = 0;
    int pos = from;
    Map.Entry<Integer, Integer> e = cov.floorEntry(from);
    if (e != null && e.getValue() > from) pos = Math.min(to, e.getValue());
    int newFrom = e != null && e.getValue() >= from ? e.getKey() : from, newTo = Math.max(to, e != null ? e.getValue() : to);
    for (Map.Entry<Integer, Integer> x : List.copyOf(cov.subMap(from, true, to, true).entrySet())) {
      if (x.getKey() > pos) bytes += utf8(p.text(), pos - from, x.getKey() - from);
      pos = Math.max(pos, Math.min(to, x.getValue()));
      newTo = Math.max(newTo, x.getValue());
      cov.remove(x.getKey());
    }
    if (pos < to) bytes += utf8(p.text(), pos - from, to - from);
    if (e != null && e.getValue() >= from) cov.remove(e.getKey());
    cov.put(newFrom, newTo);
    return bytes;
  }

  /** UTF-8 bytes of the characters. */
  static long utf8(CharSequence s) {
    return utf8(s, 0, s.length());
  }

  private static long utf8(CharSequence s, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3; // a surrogate pair: 4 bytes in all
    }
    return n;
  }

  /** The block's JSON, safe inside a script element. */
  String json() {
    List<List<Segment>> merged = new ArrayList<>();
    for (List<Piece> pieces : texts) merged.add(merge(pieces));
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
      out.write(Json.line(new Lazy(merged, details)).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Json.inHtml(new Data(docs, pairs, Base64.getEncoder().encodeToString(zipped.toByteArray())));
  }

  /** Pieces of one text (substrings at their offsets) as the fewest non-overlapping segments, cleaned for HTML. */
  static List<Segment> merge(List<Piece> pieces) {
    List<Piece> sorted = new ArrayList<>(pieces);
    sorted.sort(Comparator.comparingInt(Piece::from));
    List<Segment> out = new ArrayList<>();
    int at = 0;
    StringBuilder cur = null;
    for (Piece p : sorted) {
      int end = p.from() + p.text().length();
      if (cur != null && p.from() <= at + cur.length()) {
        if (end > at + cur.length()) cur.append(p.text(), at + cur.length() - p.from(), p.text().length());
      } else {
        if (cur != null) out.add(new Segment(at, Html.clean(cur.toString())));
        at = p.from();
        cur = new StringBuilder(p.text());
      }
    }
    if (cur != null) out.add(new Segment(at, Html.clean(cur.toString())));
    return out;
  }
}
