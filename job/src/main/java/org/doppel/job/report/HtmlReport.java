package org.doppel.job.report;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.cluster.Clusters;
import org.doppel.job.data.ChangeRow;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.Input;
import org.doppel.job.data.InputFile;
import org.doppel.job.decide.Alignment;
import org.doppel.job.decide.PairRow;
import org.doppel.job.decide.Pairs;
import org.doppel.job.decide.Passage;
import org.doppel.job.report.PassageContexts.Context;
import org.doppel.job.report.PassageContexts.Span;

/**
 * report.html: one self-contained page (inline CSS, inline script, no external resource; a Content Security
 * Policy forbids any) with the run summary, a score histogram with example pairs per band, the clusters with
 * their kept document, and the pairs side by side with their matched passages in context. Fed by the same
 * records as the tables, bounded: the driver gathers at most {@link #PAIRS_IN_MEMORY} pairs (the highest scores),
 * {@link #MAX_CLUSTER_ROWS} cluster rows (the largest clusters), {@link #MAX_PROBLEM_ROWS} unreadable documents and
 * the documents these name; totals come from the summary. At most {@code maxPairs} pairs are listed, the rest are in
 * pairs.csv. The pairs are drawn by the page's script from one data block ({@link PageData}) that carries each
 * text's shown characters once, and a pair's passages are drawn when it is opened, so the page stays small and quick
 * with thousands of pairs; passages are carried while the page stays under {@link #PAGE_BYTES}.
 */
public final class HtmlReport {
  public static final int PAIRS_IN_MEMORY = 10_000;
  public static final int DEFAULT_PAIRS = PAIRS_IN_MEMORY;
  public static final int CONTEXT_CHARS = PassageView.CONTEXT_CHARS;
  /**
   * The size the page keeps under by leaving out passages (pairs listed last lose theirs first): the rest of the
   * page (rows, clusters) is bounded by the limits above.
   */
  static final long PAGE_BYTES = 9_000_000;
  /** Compression assumed for the first try at fitting the passages (prose gzips 3 to 4 times, base64 costs 4/3). */
  private static final long ASSUMED_RATIO = 3;
  public static final int MAX_CLUSTER_ROWS = 5000;
  public static final int MAX_PROBLEM_ROWS = 500;
  /** Changes since the previous run shown on the page (changes.csv has them all). */
  public static final int MAX_CHANGE_ROWS = 1000;

  private final Map<String, Object> summary;
  private final List<DocumentRow> docs;
  private final Map<String, DocumentRow> docById = new HashMap<>();
  private final Map<String, String> clusterByDoc = new HashMap<>();
  private final List<PairRow> pairs;
  private final List<ClusterRow> clusters;
  private final ScoreHistogram histogram;
  private final List<PairRow> detailed;
  private final Map<PairRow, Integer> detailIndex = new IdentityHashMap<>(); // pairs are compared by identity
  private final Map<String, String> hrefs = new HashMap<>();
  private final List<PairRow> chosenOrder = new ArrayList<>();
  private List<ChangeRow> changes = List.of();
  private Map<String, String> folders;

  public HtmlReport(Map<String, Object> summary, List<DocumentRow> docs, List<PairRow> pairs, List<ClusterRow> clusters,
                    int maxPairs) {
    this.summary = summary;
    this.docs = docs;
    this.pairs = pairs;
    this.clusters = clusters;
    for (DocumentRow d : docs) docById.put(d.docId(), d);
    for (ClusterRow c : clusters) clusterByDoc.put(c.docId(), c.clusterId());
    this.histogram = new ScoreHistogram(pairs, decimal("threshold"));
    this.detailed = chooseDetailed(maxPairs);
    for (int i = 0; i < detailed.size(); i++) detailIndex.put(detailed.get(i), i + 1);
  }

  /**
   * The pairs shown in detail: every band's examples first, then semantic pairs by score, then exact copies
   * (identical texts teach least); shown in pairs.csv order (score descending).
   */
  private List<PairRow> chooseDetailed(int maxPairs) {
    Set<PairRow> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (ScoreHistogram.Band b : histogram.bands()) {
      for (PairRow p : b.examples()) if (chosen.size() < maxPairs && chosen.add(p)) chosenOrder.add(p);
    }
    for (PairRow p : pairs) {
      if (chosen.size() < maxPairs && !PairRow.EXACT.equals(p.method()) && chosen.add(p)) chosenOrder.add(p);
    }
    for (PairRow p : pairs) if (chosen.size() < maxPairs && chosen.add(p)) chosenOrder.add(p);
    List<PairRow> out = new ArrayList<>();
    for (PairRow p : pairs) if (chosen.contains(p)) out.add(p);
    return out;
  }

  /** The first changes since the previous run (summary.json {@code changes} counts them all), shown first. */
  public HtmlReport withChanges(List<ChangeRow> first) {
    this.changes = List.copyOf(first);
    return this;
  }

  /** The passage spans of the detailed pairs: the context to collect from the texts. */
  public List<Span> spans() {
    Set<Span> out = new LinkedHashSet<>();
    for (PairRow p : detailed) {
      if (p.alignment() == null) continue;
      for (Passage g : p.alignment().top()) {
        out.add(spanA(p, g));
        out.add(spanB(p, g));
      }
    }
    return List.copyOf(out);
  }

  private Span spanA(PairRow p, Passage g) {
    return new Span(textOf(p.docA()), g.aStart(), g.aEnd());
  }

  private Span spanB(PairRow p, Passage g) {
    return new Span(textOf(p.docB()), g.bStart(), g.bEnd());
  }

  private String textOf(String docId) {
    DocumentRow d = docById.get(docId);
    return d == null ? null : d.textSha256();
  }

  public void write(Path dir, Map<Span, Context> contexts) throws IOException {
    write(Location.local(dir), contexts);
  }

  public void write(Location dir, Map<Span, Context> contexts) throws IOException {
    dir.resolve("report.html").writeString(render(contexts));
  }

  String render(Map<Span, Context> contexts) {
    String script = resource("report.js");
    StringBuilder sb = new StringBuilder(64 * 1024 + detailed.size() * 8 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; ")
        .append("script-src 'sha256-").append(sha256(script)).append("'; base-uri 'none'; form-action 'none'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Doppel report: ").append(Html.count(number("pairs"))).append(" pairs, ")
        .append(Html.count(clusterCount())).append(" clusters</title>\n<style>").append(resource("report.css"))
        .append("</style></head>\n<body>\n");
    header(sb);
    changes(sb); // read first by a nightly job's reviewer; a pair is linked as #pair-N, which the script opens
    summary(sb);
    scores(sb);
    clusters(sb);
    pairs(sb);
    problems(sb);
    footer(sb);
    String head = "<script type=\"application/json\" id=\"report-data\">", tail = "</script>\n<script>" + script
        + "</script>\n</body></html>\n";
    sb.append(head).append(data(contexts, PageData.utf8(sb) + PageData.utf8(head) + PageData.utf8(tail))).append(tail);
    return sb.toString();
  }

  private long clusterCount() {
    return number("clusters");
  }

  /** Documents that could not be read, from the summary's status counts. */
  private long problemCount() {
    long bad = 0;
    for (Map.Entry<String, Object> e : map(summary.get("status_counts")).entrySet()) {
      if (!"ok".equals(e.getKey()) && e.getValue() instanceof Number n) bad += n.longValue();
    }
    return bad;
  }

  private void header(StringBuilder sb) {
    sb.append("<header class=\"top\"><div class=\"wrap\"><h1>Doppel report</h1><p class=\"sub\">")
        .append(Html.esc(String.join(", ", strings(summary.get("inputs"))))).append(" &middot; finished ")
        .append(Html.esc(summary.get("finished_at"))).append(" &middot; report in <code>")
        .append(Html.esc(summary.get("report_dir"))).append("</code></p></div></header>\n");
    long problems = problemCount();
    sb.append("<nav class=\"bar\"><div class=\"wrap\">");
    if (summary.get("changes") instanceof Map<?, ?> c) {
      sb.append("<a href=\"#changes\">New since last run (").append(Html.count(((Number) c.get(ChangeRow.NEW_PAIR)).longValue()))
          .append(")</a>");
    }
    sb.append("<a href=\"#summary\">Summary</a><a href=\"#scores\">Scores</a>")
        .append("<a href=\"#clusters\">Clusters (").append(Html.count(clusterCount())).append(")</a>")
        .append("<a href=\"#pairs\">Pairs (").append(Html.count(number("pairs"))).append(")</a>")
        .append("<a href=\"#files\">Unreadable files (").append(Html.count(problems)).append(")</a>")
        .append("<span class=\"grow\"></span><input id=\"filter\" type=\"search\" placeholder=\"Filter by path\" ")
        .append("aria-label=\"Filter clusters and pairs by path\"><select id=\"method\" aria-label=\"Pair method\">")
        .append("<option value=\"\">all pairs</option><option value=\"both\">both</option>")
        .append("<option value=\"semantic\">semantic</option><option value=\"lexical\">lexical</option>")
        .append("<option value=\"exact\">exact</option></select></div>")
        .append("<div class=\"wrap shown\" id=\"shown\"></div></nav>\n<main class=\"wrap\">\n");
  }

  /** What changed since the previous run: new pairs first (linked to their detail), then gone pairs and cluster moves. */
  private void changes(StringBuilder sb) {
    if (!(summary.get("changes") instanceof Map<?, ?> c)) return;
    Object previous = c.get("previous_run");
    long total = 0;
    for (String kind : ChangeRow.KINDS) {
      total += ((Number) c.get(kind)).longValue();
    }
    sb.append("<section id=\"changes\"><h2>New since last run</h2><p class=\"hint\">")
        .append(previous == null ? "No previous run: every pair is new. " : "Against run <code>" + Html.esc(previous) + "</code>: ")
        .append(Html.count(((Number) c.get(ChangeRow.NEW_PAIR)).longValue())).append(" new pairs, ")
        .append(Html.count(((Number) c.get(ChangeRow.GONE_PAIR)).longValue())).append(" gone; ")
        .append(Html.count(((Number) c.get(ChangeRow.JOINED)).longValue())).append(" documents joined a cluster, ")
        .append(Html.count(((Number) c.get(ChangeRow.LEFT)).longValue())).append(" left, ")
        .append(Html.count(((Number) c.get(ChangeRow.MOVED)).longValue())).append(" moved. All are in changes.csv.</p>");
    if (changes.size() < total) {
      sb.append("<p class=\"note\">The first ").append(Html.count(changes.size())).append(" of ").append(Html.count(total))
          .append(" changes.</p>");
    }
    Map<String, Integer> pairIndex = new HashMap<>();
    detailIndex.forEach((p, n) -> pairIndex.put(p.docA() + "|" + p.docB(), n));
    sb.append("<table class=\"changes\"><thead><tr><th>change</th><th>documents</th><th class=\"num\">score</th>")
        .append("<th>why</th></tr></thead><tbody>");
    for (ChangeRow r : changes) {
      sb.append("<tr><td class=\"nowrap\">").append(Html.esc(r.change().replace('_', ' '))).append("</td><td>")
          .append(Html.path(r.pathA(), href(docById.get(r.docA()))));
      if (r.pathB() != null) sb.append(" &harr; ").append(Html.path(r.pathB(), href(docById.get(r.docB()))));
      if (r.clusterNow() != null || r.clusterPrevious() != null) {
        sb.append(" <span class=\"muted\">cluster ").append(Html.esc(r.clusterPrevious() == null ? "-" : r.clusterPrevious()))
            .append(" &rarr; ").append(Html.esc(r.clusterNow() == null ? "-" : r.clusterNow())).append("</span>");
      }
      Integer n = r.docB() == null ? null : pairIndex.getOrDefault(r.docA() + "|" + r.docB(), pairIndex.get(r.docB() + "|" + r.docA()));
      if (n != null) sb.append(" <a href=\"#pair-").append(n).append("\">#").append(n).append("</a>");
      Double score = r.scoreNow() != null ? r.scoreNow() : r.scorePrevious();
      sb.append("</td><td class=\"num\">").append(score == null ? "" : Html.score(score)).append("</td><td>")
          .append(Html.esc(r.why())).append("</td></tr>");
    }
    sb.append("</tbody></table></section>\n");
  }

  private void summary(StringBuilder sb) {
    Map<String, Object> byStatus = map(summary.get("status_counts"));
    long files = number("files"), clustered = number("clustered_documents"), clusterCount = number("clusters");
    sb.append("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
    StringBuilder chips = new StringBuilder();
    byStatus.forEach((k, v) -> chips.append("<span class=\"chip ").append("ok".equals(k) ? "good" : "warn").append("\">")
        .append(Html.esc(k)).append(' ').append(Html.count(((Number) v).longValue())).append("</span>"));
    card(sb, "Files", Html.count(files), chips.toString());
    card(sb, "Distinct texts", Html.count(number("distinct_texts")), Html.count(number("tokens")) + " tokens in "
        + Html.count(number("chunks")) + " windows");
    card(sb, "Pairs", Html.count(number("pairs")), Html.count(number("pairs_exact")) + " exact &middot; "
        + Html.count(number("pairs_lexical")) + " lexical &middot; " + Html.count(number("pairs_semantic"))
        + " semantic &middot; " + Html.count(number("pairs_both")) + " both");
    card(sb, "Clusters", Html.count(clusterCount), Html.count(clustered) + " documents; "
        + Html.count(clustered - clusterCount) + " copies beyond the kept ones");
    card(sb, "Threshold", Html.esc(summary.get("threshold")), "keep policy: " + Html.esc(summary.get("keep")));
    Map<String, Object> versions = map(summary.get("versions"));
    card(sb, "Model", "<span class=\"small\">" + Html.esc(summary.get("model")) + "</span>",
        "Java BERT on DJL " + Html.esc(versions.get("djl")) + " / PyTorch " + Html.esc(versions.get("pytorch")));
    card(sb, "Time", Html.seconds(decimal("total_seconds")),
        Html.esc(summary.get("embed_tokens_per_s")) + " tokens/s embedded on " + Html.esc(summary.get("master")));
    sb.append("</div>");
    Map<String, Object> stages = map(summary.get("stage_seconds"));
    double longest = stages.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).max().orElse(0);
    sb.append("<h3>Stage timings</h3><table class=\"stages\">");
    stages.forEach((k, v) -> {
      double s = ((Number) v).doubleValue();
      sb.append("<tr><th>").append(Html.esc(k)).append("</th><td class=\"num\">").append(Html.seconds(s))
          .append("</td><td class=\"barcell\"><span class=\"hbar\" style=\"width:")
          .append(String.format(Locale.ROOT, "%.1f", longest > 0 ? 100 * s / longest : 0)).append("%\"></span></td></tr>");
    });
    sb.append("</table></section>\n");
  }

  private static void card(StringBuilder sb, String title, String value, String detail) {
    sb.append("<div class=\"card\"><div class=\"label\">").append(title).append("</div><div class=\"value\">")
        .append(value).append("</div><div class=\"detail\">").append(detail).append("</div></div>");
  }

  private void scores(StringBuilder sb) {
    sb.append("<section id=\"scores\"><h2>Pair scores</h2><p class=\"hint\">Every flagged pair by score band. ")
        .append("To choose a threshold, read the example pairs of the lowest bands: raising <code>--threshold</code> ")
        .append("above a band drops its pairs. Exact copies (same bytes or same text) always pair.</p>");
    if (pairs.size() < number("pairs")) {
      sb.append("<p class=\"note\">The bands count the ").append(Html.count(pairs.size()))
          .append(" highest-scoring of ").append(Html.count(number("pairs"))).append(" pairs; pairs.csv has them all.</p>");
    }
    sb.append("<p class=\"hint\">").append(Html.esc(histogram.spread())).append("</p>");
    sb.append(histogram.svg()).append("<table class=\"bands\"><thead><tr><th>band</th><th class=\"num\">pairs</th>")
        .append("<th>examples (lowest, middle, highest score)</th></tr></thead><tbody>");
    List<ScoreHistogram.Band> bands = histogram.bands();
    for (int k = bands.size() - 1; k >= 0; k--) { // highest first, like pairs.csv
      ScoreHistogram.Band b = bands.get(k);
      if (b.pairs().isEmpty()) continue;
      sb.append("<tr id=\"").append(b.id()).append("\"><td class=\"nowrap\">").append(Html.esc(b.label()))
          .append("</td><td class=\"num\">").append(Html.count(b.pairs().size())).append("</td><td><ul class=\"examples\">");
      for (PairRow p : b.examples()) {
        Integer n = detailIndex.get(p);
        sb.append("<li><span class=\"score\">").append(Html.score(p.score())).append("</span> ");
        if (n != null) sb.append("<a href=\"#pair-").append(n).append("\">#").append(n).append("</a> ");
        sb.append(Html.path(p.pathA(), href(docById.get(p.docA())))).append(" &harr; ")
            .append(Html.path(p.pathB(), href(docById.get(p.docB()))));
        Alignment al = p.alignment();
        if (al != null) {
          sb.append(" <span class=\"muted\">coverage ").append(Html.percent(al.coverageA())).append(" / ")
              .append(Html.percent(al.coverageB())).append("</span>");
        }
        sb.append("</li>");
      }
      sb.append("</ul></td></tr>");
    }
    sb.append("</tbody></table></section>\n");
  }

  private void clusters(StringBuilder sb) {
    Map<String, List<ClusterRow>> byCluster = new LinkedHashMap<>();
    for (ClusterRow c : clusters) byCluster.computeIfAbsent(c.clusterId(), k -> new ArrayList<>()).add(c);
    List<List<ClusterRow>> ordered = new ArrayList<>(byCluster.values());
    ordered.sort(Comparator.<List<ClusterRow>>comparingInt(List::size).reversed()
        .thenComparing(m -> keptOf(m).path()));
    sb.append("<section id=\"clusters\"><h2>Clusters</h2><p class=\"hint\">Connected groups of flagged pairs. ")
        .append("<span class=\"badge keep\">keep</span> marks the copy the keep policy (<code>")
        .append(Html.esc(summary.get("keep"))).append("</code>) would keep; the others are candidates to remove. ")
        .append("Score to keep: each member's cosine to the kept document.</p>");
    int rows = 0, shown = 0;
    for (List<ClusterRow> members : ordered) {
      if (rows + members.size() > MAX_CLUSTER_ROWS && shown > 0) break;
      rows += members.size();
      shown++;
      cluster(sb, members);
    }
    if (shown < clusterCount()) {
      sb.append("<p class=\"note\">").append(Html.count(clusterCount() - shown))
          .append(" more clusters (the smallest) are in <code>clusters.csv</code>.</p>");
    }
    sb.append("</section>\n");
  }

  private static ClusterRow keptOf(List<ClusterRow> members) {
    return members.stream().filter(ClusterRow::keep).findFirst().orElse(members.get(0));
  }

  private void cluster(StringBuilder sb, List<ClusterRow> members) {
    ClusterRow kept = keptOf(members);
    List<ClusterRow> sorted = new ArrayList<>(members);
    sorted.sort(Comparator.comparing((ClusterRow c) -> !c.keep()).thenComparing(Comparator.comparingDouble(
        ClusterRow::scoreToKeep).reversed()).thenComparing(ClusterRow::path));
    StringBuilder filter = new StringBuilder();
    for (ClusterRow c : sorted) filter.append(c.path().toLowerCase(Locale.ROOT)).append('\n');
    sb.append("<article class=\"cluster\" id=\"cluster-").append(Html.esc(kept.clusterId())).append("\" data-filter=\"")
        .append(Html.esc(filter)).append("\"><h3>").append(Html.path(kept.path(), href(docById.get(kept.docId()))))
        .append(" <span class=\"muted\">").append(members.size()).append(" documents &middot; cluster ")
        .append(Html.esc(kept.clusterId())).append("</span></h3><table class=\"members\"><thead><tr><th></th>")
        .append("<th class=\"wide\">path</th><th class=\"num\">score to keep</th><th class=\"num\">chars</th><th class=\"num\">size</th>")
        .append("<th>type</th></tr></thead><tbody>");
    for (ClusterRow c : sorted) {
      DocumentRow d = docById.get(c.docId());
      sb.append("<tr").append(c.keep() ? " class=\"kept\"" : "").append("><td>")
          .append(c.keep() ? "<span class=\"badge keep\">keep</span>" : "<span class=\"badge dup\">duplicate</span>")
          .append("</td><td>").append(Html.path(c.path(), href(d))).append("</td><td class=\"num\">")
          .append(Html.score(c.scoreToKeep())).append("</td><td class=\"num\">")
          .append(d == null ? "" : Html.count(d.chars())).append("</td><td class=\"num\">")
          .append(d == null ? "" : Html.bytes(d.sizeBytes())).append("</td><td class=\"muted\">")
          .append(d == null ? "" : Html.esc(d.mediaType())).append("</td></tr>");
    }
    sb.append("</tbody></table></article>\n");
  }

  private void pairs(StringBuilder sb) {
    sb.append("<section id=\"pairs\"><h2>Pairs</h2><p class=\"hint\">Open a pair to see it side by side with its best ")
        .append("matching windows: the matched window is highlighted, <span class=\"d\">words the other side does not have</span> ")
        .append("are marked, and the dimmed text around it is context. Coverage: the share of each document lying in ")
        .append("windows that match the other.</p>");
    long total = number("pairs");
    if (detailed.size() < total) {
      sb.append("<p class=\"note\">Showing ").append(Html.count(detailed.size())).append(" of ")
          .append(Html.count(total)).append(" pairs in detail (examples of every score band, then the highest ")
          .append("semantic scores); ").append(Html.count(total - detailed.size()))
          .append(" more pairs are in <code>pairs.csv</code>.</p>");
    }
    sb.append("<div id=\"pair-list\"></div><noscript><p class=\"note\">The pairs are drawn by the page's script; ")
        .append("<code>pairs.csv</code> has them all.</p></noscript></section>\n");
  }

  /**
   * The data the script draws the listed pairs from. Every listed pair has a row; then, in the order chosen for
   * detail (band examples first), pairs get their passages while the page ({@code pageBytes} without the data)
   * stays under {@link #PAGE_BYTES}. The passages are compressed, by a ratio known only once they are, so the
   * budget for them starts at what the page has left times {@link #ASSUMED_RATIO} and shrinks until the page fits.
   */
  private String data(Map<Span, Context> contexts, long pageBytes) {
    Map<PairRow, List<PassageView.Shown>> shown = new IdentityHashMap<>(); // word diffs cost: computed once
    long budget = Long.MAX_VALUE;
    String best = null;
    for (int attempt = 0; ; attempt++) {
      PageData data = new PageData();
      for (PairRow p : detailed) {
        DocumentRow a = docById.get(p.docA()), b = docById.get(p.docB());
        String cluster = clusterByDoc.get(p.docA());
        Alignment al = p.alignment();
        data.pair(new PageData.Pair(detailIndex.get(p), data.doc(a, p.docA(), p.pathA(), href(a)),
            data.doc(b, p.docB(), p.pathB(), href(b)), Html.score(p.score()), p.method(),
            al == null ? null : (int) Math.round(al.coverageA() * 100), al == null ? null : (int) Math.round(al.coverageB() * 100),
            cluster == null ? null : data.doc(docById.get(cluster), cluster, keptPath(cluster), href(docById.get(cluster)))),
            p.reason());
      }
      long base = PageData.utf8(data.json()), left = Math.max(0, PAGE_BYTES - pageBytes - base);
      if (budget == Long.MAX_VALUE) budget = left * ASSUMED_RATIO;
      boolean allCarried = carry(data, contexts, shown, budget);
      String json = data.json();
      long extra = PageData.utf8(json) - base;
      if (extra <= left) best = json;
      if (budget == 0 || (allCarried && extra <= left) || (best != null && attempt >= 3) || attempt >= 6) {
        return best != null ? best : json;
      }
      budget = (long) (budget * 0.95 * left / Math.max(1, extra)); // compressed size grows about in proportion
    }
  }

  /**
   * Passages for the pairs in detail order until the first that does not fit {@code budget} (uncompressed bytes);
   * whether every pair got its passages.
   */
  private boolean carry(PageData data, Map<Span, Context> contexts, Map<PairRow, List<PassageView.Shown>> shown, long budget) {
    boolean spent = false;
    for (PairRow p : chosenOrder) {
      if (p.alignment() == null || p.alignment().top().isEmpty()) continue;
      int n = detailIndex.get(p);
      if (spent) { // the pairs after the first that did not fit are listed without passages
        data.cut(n);
        continue;
      }
      PageData.Pair row = data.row(n);
      List<PageData.SideText[]> sides = new ArrayList<>();
      for (Passage g : p.alignment().top()) {
        Context ca = contexts.get(spanA(p, g)), cb = contexts.get(spanB(p, g));
        sides.add(new PageData.SideText[] {new PageData.SideText(data.textOf(row.a()), g.aText(), ca),
            new PageData.SideText(data.textOf(row.b()), g.bText(), cb)});
      }
      List<PassageView.Shown> views = shown.computeIfAbsent(p, x -> x.alignment().top().stream()
          .map(g -> PassageView.of(g, contexts.get(spanA(x, g)), contexts.get(spanB(x, g)))).toList());
      long cost = data.carry(n, views, sides, budget);
      spent = cost < 0;
      budget -= Math.max(0, cost);
    }
    return !spent;
  }

  private String keptPath(String clusterId) {
    DocumentRow d = docById.get(clusterId);
    return d == null ? clusterId : d.path();
  }

  /**
   * A {@code file:} URI for a document that is a file on this machine (not an entry of an archive or mail), for the
   * page to link its path to; null otherwise. {@code input} names its folder among the run's inputs; the path is
   * relative to it, prefixed by that name when there were several.
   */
  private String href(DocumentRow d) {
    if (d == null || d.parent() != null || d.input() == null) return null;
    return hrefs.computeIfAbsent(d.docId(), k -> {
      Map<String, String> folders = folders();
      String folder = folders.get(d.input());
      if (folder == null ? !InputFile.LISTED.equals(d.input()) : Location.isRemote(folder)) return null;
      try {
        if (folder == null) return Files.isRegularFile(Path.of(d.path())) ? Path.of(d.path()).toUri().toASCIIString() : null;
        String prefix = d.input() + "/";
        String relative = folders.size() > 1 && d.path().startsWith(prefix) ? d.path().substring(prefix.length()) : d.path();
        Path f = Path.of(folder).toAbsolutePath().normalize().resolve(relative);
        if (Files.isRegularFile(f)) return f.normalize().toUri().toASCIIString();
      } catch (InvalidPathException e) {
        // a path this file system cannot name (another machine's input): no link
      }
      return null;
    });
  }

  /** The run's input folders by name (summary.json {@code inputs}, as given). */
  private Map<String, String> folders() {
    if (folders == null) {
      folders = new HashMap<>();
      try {
        for (Input in : Input.parseAll(strings(summary.get("inputs")))) folders.put(in.name(), in.location());
      } catch (IllegalArgumentException e) {
        // inputs this version cannot name (a report from elsewhere): no links
      }
    }
    return folders;
  }

  private void problems(StringBuilder sb) {
    List<DocumentRow> bad = docs.stream().filter(d -> !d.isOk()).sorted(Comparator.comparing(DocumentRow::status)
        .thenComparing(DocumentRow::path)).toList();
    sb.append("<section id=\"files\"><h2>Unreadable files</h2>");
    if (bad.isEmpty()) {
      sb.append("<p class=\"hint\">Every file was read.</p></section>\n");
      return;
    }
    sb.append("<p class=\"hint\">Files without text take no part in pairs; <code>documents.csv</code> lists every file.</p>")
        .append("<table class=\"problems\"><thead><tr><th>status</th><th>path</th><th>why</th></tr></thead><tbody>");
    for (DocumentRow d : bad.subList(0, Math.min(bad.size(), MAX_PROBLEM_ROWS))) {
      sb.append("<tr><td><span class=\"chip warn\">").append(Html.esc(d.status())).append("</span></td><td>")
          .append(Html.path(d.path(), href(d))).append("</td><td>").append(Html.esc(d.statusDetail())).append("</td></tr>");
    }
    sb.append("</tbody></table>");
    long more = problemCount() - Math.min(bad.size(), MAX_PROBLEM_ROWS);
    if (more > 0) {
      sb.append("<p class=\"note\">").append(Html.count(more))
          .append(" more in <code>documents.csv</code>.</p>");
    }
    sb.append("</section>\n");
  }

  private void footer(StringBuilder sb) {
    StringBuilder v = new StringBuilder();
    map(summary.get("versions")).forEach((k, x) -> v.append(v.length() == 0 ? "" : " &middot; ").append(Html.esc(k))
        .append(' ').append(Html.esc(x)));
    sb.append("</main><footer class=\"wrap\">Written by Doppel with the CSV and Parquet reports beside it &middot; ")
        .append(v).append("</footer>\n");
  }

  private long number(String key) {
    return (long) decimal(key);
  }

  private double decimal(String key) {
    return summary.get(key) instanceof Number n ? n.doubleValue() : 0;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object v) {
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<String> strings(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) for (Object o : l) out.add(String.valueOf(o));
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("missing resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String s) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
