package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.doppel.job.cluster.ClusterRow;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.decide.Alignment;
import org.doppel.job.decide.PairEvidence;
import org.doppel.job.decide.PairRow;
import org.doppel.job.decide.Passage;
import org.doppel.job.report.HtmlReport;
import org.doppel.job.report.PassageContexts.Context;
import org.doppel.job.report.PassageContexts.Span;
import org.doppel.job.report.PassageContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html from hand-made records whose paths, passages and context carry markup and script: rendered
 * in real headless Chromium, none of it may become an element or run. (The page of a real run is checked
 * in SampleDocsEndToEndTest.)
 */
class HtmlReportTest {
  static final String EVIL = "<script>document.body.setAttribute('data-pwned','script')</script>"
      + "<img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">";
  static final String EVIL_PATH = "evil/<b onmouseover=\"alert(1)\">'quoted'</b>.txt";

  @TempDir
  Path tmp;

  static DocumentRow doc(String path, String text, String status) {
    String id = DocumentRow.docIdFor(path);
    return new DocumentRow(id, "in", path, 1000, "sha-" + id, text == null ? null : "text-" + id, "text/plain", status,
        "ok".equals(status) ? null : "<iframe src=\"https://example.com/\"></iframe> parser said no", text == null ? 0
        : text.length(), 0, org.doppel.extractors.LexicalSketch.of(text == null ? "" : text), null, null);
  }

  static Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inputs", List.of("in"));
    m.put("files", 5);
    m.put("status_counts", Map.of("ok", 4L, "corrupt", 1L));
    m.put("pairs", 3);
    m.put("threshold", 0.93);
    m.put("stage_seconds", Map.of("embed", 2.0));
    return m;
  }

  @Test
  void documentMarkupIsShownAsTextAndNeverRuns() throws Exception {
    String textA = "Intro. " + EVIL + " the quick brown fox jumps \u0000 over \uD800 the dog.";
    String textB = "Intro. " + EVIL + " the quick red fox jumps over the dog.";
    DocumentRow a = doc(EVIL_PATH, textA, "ok"), b = doc("plain/b.txt", textB, "ok");
    DocumentRow c = doc("plain/c.txt", "c", "ok"), d = doc("plain/d.txt", "d", "ok"), bad = doc("bad.pdf", null, "corrupt");
    Passage p = new Passage(7, textA.length(), textA.substring(7), 7, textB.length(), textB.substring(7), 0.97);
    // the lowest score: with room for one pair in detail, the lowest band's example is the one shown
    PairRow evil = PairRow.of(a, b, 0.9312, PairRow.SEMANTIC, "cosine 0.9312 >= 0.93", new PairEvidence(0.9312, new Alignment(List.of(p), 1, 1), 0.4, 0.5, 0.5, 20, 20));
    List<PairRow> pairs = List.of(PairRow.of(b, c, 0.97, PairRow.SEMANTIC, "cosine 0.97 >= 0.93", null),
        PairRow.of(c, d, 0.95, PairRow.SEMANTIC, "cosine 0.95 >= 0.93", null), evil);
    List<ClusterRow> clusters = List.of(new ClusterRow(b.docId(), b.docId(), b.path(), true, 1.0, 2),
        new ClusterRow(b.docId(), a.docId(), a.path(), false, 0.9312, 2));
    HtmlReport html = new HtmlReport(summary(), List.of(a, b, c, d, bad), pairs, clusters, 1);
    Map<Span, Context> contexts = new LinkedHashMap<>();
    for (Span s : html.spans()) contexts.put(s, new Context("</mark></div><script>document.title='pwned'</script>", "</body>"));
    assertEquals(2, contexts.size(), "one pair in detail: one span per side");
    html.write(tmp, contexts);

    byte[] bytes = Files.readAllBytes(tmp.resolve("report.html"));
    String source = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes)).toString(); // valid UTF-8 although the text held a NUL and a lone surrogate
    assertTrue(source.contains("evil/\\u003Cb onmouseover"), "paths in the data block, with '<' escaped");
    assertFalse(source.contains("<script>document") || source.contains("<img") || source.contains("<iframe")
        || source.contains("<b onmouseover"), "no document markup survives as markup");
    assertFalse(source.contains("\u0000") || source.contains("\\u0000"), "no NUL, raw or escaped");

    // #pair-1 opens the pair: the script draws its passages from the data block
    HeadlessChromium.Page page = HeadlessChromium.open(tmp.resolve("report.html"), "pair-1", tmp.resolve("chromium"));
    assertTrue(page.dom().contains("<span class=\"d\">brown</span>") && page.dom().contains("<span class=\"d\">red</span>"),
        "the words each side lacks are marked");
    assertTrue(page.text().contains("jumps \uFFFD over \uFFFD the dog") && !page.dom().contains("\u0000"),
        "control characters and the lone surrogate replaced");
    assertFalse(Pattern.compile("<body[^>]*data-pwned").matcher(page.dom()).find(), "no injected script ran");
    assertTrue(page.dom().contains("setAttribute('data-pwned'"), "(the script is there, as text)");
    assertTrue(page.dom().contains("<title>Doppel report"), "title untouched");
    assertTrue(HeadlessChromium.inked(page.screenshot()) > 0.01, "the screenshot shows the page");
    assertEquals(2, count(page.dom(), "<script"), "only the report's own script and its data");
    assertEquals(1, count(page.dom(), "<script type=\"application/json\" id=\"report-data\">"), "data, not a script");
    assertEquals(0, count(page.dom(), "<img") + count(page.dom(), "<iframe") + count(page.dom(), "<b onmouseover"));
    String text = page.text();
    assertTrue(text.contains(HeadlessChromium.collapse(EVIL)), "the markup is shown as the document's text");
    assertTrue(text.contains(EVIL_PATH) && text.contains("</mark></div><script>document.title='pwned'</script>"),
        "paths and context shown as text");
    assertEquals(1, count(page.dom(), "class=\"pair\""), "one pair in detail");
    assertTrue(text.contains("Showing 1 of 3 pairs in detail") && text.contains("2 more pairs are in pairs.csv"), text);
    assertTrue(text.contains("Showing 1 of 1 clusters and 1 of 1 pairs in detail"), "the page's script ran: " + text);
    assertTrue(page.externalRequests().isEmpty(), "requests: " + page.externalRequests());
  }

  @Test
  void theNetworkCheckSeesARequestThePageMakes() throws Exception {
    // the check above must be able to fail: a page that loads an image from elsewhere is caught
    Path html = Files.writeString(tmp.resolve("external.html"),
        "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/pixel.png\"></body></html>");
    HeadlessChromium.Page page = HeadlessChromium.open(html, tmp.resolve("chromium"));
    assertEquals(List.of("http://127.0.0.1:9/pixel.png"), page.externalRequests().stream().distinct().toList());
  }

  @Test
  void contextIsCutAtWordsAroundTheSpan() {
    String text = "alpha beta gamma delta epsilon zeta eta theta";
    Context c = PassageContexts.around(text, new Span("t", 17, 30), 8); // span "delta epsilon"
    assertEquals("gamma ", c.before());
    assertEquals(" zeta", c.after());
    Context edges = PassageContexts.around(text, new Span("t", 0, text.length()), 8);
    assertEquals("", edges.before() + edges.after());
  }

  static int count(String s, String needle) {
    return s.split(Pattern.quote(needle), -1).length - 1;
  }
}
