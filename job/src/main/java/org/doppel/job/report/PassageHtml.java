package org.doppel.job.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.doppel.job.decide.Passage;
import org.doppel.job.report.PassageContexts.Context;

/**
 * One matched window pair as two columns: a little context (dimmed), the matched window (highlighted, with
 * the words the other side lacks marked), more context. Long windows lose their middle, so a pair costs at
 * most a few kilobytes of page.
 */
final class PassageHtml {
  /** Characters of context shown before and after each matched window. */
  static final int CONTEXT_CHARS = 200;
  static final int MAX_SPAN_CHARS = 1800;
  private static final int HEAD_CHARS = 1200;
  private static final int TAIL_CHARS = 500;

  private PassageHtml() {}

  /**
   * {@code ctxA}/{@code ctxB} may be null (context not collected): the window is shown alone. Words are
   * compared over all the text shown, so a word just outside the other side's window does not count as
   * missing; only words inside the windows are marked.
   */
  static void append(StringBuilder sb, int rank, Passage p, Context ctxA, Context ctxB, int charsA, int charsB) {
    Side a = Side.of(p.aText(), ctxA), b = Side.of(p.bText(), ctxB);
    boolean[][] common = WordDiff.common(a.all(), b.all());
    boolean[] ca = common == null ? null : a.windowPart(common[0]), cb = common == null ? null : b.windowPart(common[1]);
    sb.append("<div class=\"passage\"><div class=\"passage-head\"><b>Passage ").append(rank).append("</b> cosine ")
        .append(Html.score(p.score())).append(" &middot; A chars ").append(Html.count(p.aStart())).append("&ndash;")
        .append(Html.count(p.aEnd())).append(" &middot; B chars ").append(Html.count(p.bStart())).append("&ndash;")
        .append(Html.count(p.bEnd()));
    if (common != null) {
      int differ = differing(a.window(), ca) + differing(b.window(), cb);
      sb.append(" &middot; ").append(differ == 0 ? "same words" : Html.count(differ) + " words differ");
    }
    sb.append("</div><div class=\"cols\">");
    side(sb, a.window(), ca, ctxA, p.aStart(), p.aEnd(), charsA);
    side(sb, b.window(), cb, ctxB, p.bStart(), p.bEnd(), charsB);
    sb.append("</div></div>\n");
  }

  /** One side's tokens: context before, the matched window, context after. */
  private record Side(List<String> before, List<String> window, List<String> after) {
    static Side of(String window, Context ctx) {
      return new Side(WordDiff.tokens(ctx == null ? "" : ctx.before()), WordDiff.tokens(window),
          WordDiff.tokens(ctx == null ? "" : ctx.after()));
    }

    List<String> all() {
      List<String> out = new ArrayList<>(before);
      out.addAll(window);
      out.addAll(after);
      return out;
    }

    boolean[] windowPart(boolean[] common) {
      return Arrays.copyOfRange(common, before.size(), before.size() + window.size());
    }
  }

  private static void side(StringBuilder sb, List<String> tokens, boolean[] common, Context ctx, int start, int end,
                           int chars) {
    sb.append("<div class=\"text\">");
    if (ctx != null && !ctx.before().isEmpty()) {
      sb.append("<span class=\"ctx\">").append(ctx.before().length() < start ? "&hellip;" : "")
          .append(Html.esc(ctx.before())).append("</span>");
    }
    sb.append("<mark>");
    span(sb, tokens, common);
    sb.append("</mark>");
    if (ctx != null && !ctx.after().isEmpty()) {
      sb.append("<span class=\"ctx\">").append(Html.esc(ctx.after()))
          .append(end + ctx.after().length() < chars ? "&hellip;" : "").append("</span>");
    }
    sb.append("</div>");
  }

  /** The window's tokens; runs of words missing on the other side in {@code <span class="d">}; long middles elided. */
  private static void span(StringBuilder sb, List<String> tokens, boolean[] common) {
    int total = 0;
    for (String t : tokens) total += t.length();
    boolean elide = total > MAX_SPAN_CHARS, open = false, elided = false;
    int hidden = 0, pos = 0;
    for (String t : tokens) {
      if (elide && pos >= HEAD_CHARS && pos + t.length() <= total - TAIL_CHARS) hidden += t.length();
      pos += t.length();
    }
    String pendingSpace = "";
    pos = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      int at = pos;
      pos += t.length();
      if (elide && at >= HEAD_CHARS && pos <= total - TAIL_CHARS) {
        if (!elided) {
          if (open) sb.append("</span>");
          open = false;
          pendingSpace = "";
          sb.append(" <span class=\"elided\">[&hellip; ").append(Html.count(hidden))
              .append(" characters not shown &hellip;]</span> ");
          elided = true;
        }
        continue;
      }
      if (!WordDiff.isWord(t)) {
        pendingSpace += t;
        continue;
      }
      boolean differs = common != null && !common[i];
      if (open && !differs) {
        sb.append("</span>");
        open = false;
      }
      sb.append(Html.esc(pendingSpace));
      pendingSpace = "";
      if (differs && !open) {
        sb.append("<span class=\"d\">");
        open = true;
      }
      sb.append(Html.esc(t));
    }
    if (open) sb.append("</span>");
    sb.append(Html.esc(pendingSpace));
  }

  private static int differing(List<String> tokens, boolean[] common) {
    int n = 0;
    for (int i = 0; i < tokens.size(); i++) if (!common[i]) n++;
    return n;
  }
}
