package org.doppel.job.report;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.doppel.job.decide.Passage;
import org.doppel.job.report.PassageContexts.Context;

/**
 * One matched window pair as report.html's script draws it, in two columns: a little context (dimmed), the matched
 * window (highlighted, with the words the other side lacks marked), more context. Everything is an offset into the
 * two texts, whose characters the page carries once per text ({@link PageData}); long windows lose their middle, so
 * a passage needs at most a few kilobytes of text.
 */
final class PassageView {
  /** Characters of context shown before and after each matched window. */
  static final int CONTEXT_CHARS = 200;
  static final int MAX_SPAN_CHARS = 1800;
  private static final int HEAD_CHARS = 1200;
  private static final int TAIL_CHARS = 500;

  private PassageView() {}

  /**
   * One side, as offsets into its text: context [ctxFrom, start), the window shown as [start, headEnd) and
   * [tailStart, end) (headEnd = tailStart = end when nothing is elided), context [end, ctxTo); {@code differ} holds
   * [from, to) runs of words the other side lacks.
   */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  record Side(int ctxFrom, int start, int headEnd, int tailStart, int end, int ctxTo, int[] differ) {
    /** The character ranges the page must carry for this side. */
    List<int[]> ranges() {
      return headEnd == tailStart ? List.of(new int[] {ctxFrom, ctxTo})
          : List.of(new int[] {ctxFrom, headEnd}, new int[] {tailStart, ctxTo});
    }
  }

  /** The cosine, both sides, and how many words differ (absent when the passages were too long to compare). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Shown(String s, Side a, Side b, Integer w) {}

  /**
   * {@code ctxA}/{@code ctxB} may be null (context not collected): the window is shown alone. Words are compared over
   * all the text shown, so a word just outside the other side's window does not count as missing; only words inside
   * the windows are marked.
   */
  static Shown of(Passage p, Context ctxA, Context ctxB) {
    Tokens a = Tokens.of(p.aText(), ctxA), b = Tokens.of(p.bText(), ctxB);
    boolean[][] common = WordDiff.common(a.all(), b.all());
    boolean[] ca = common == null ? null : a.windowPart(common[0]), cb = common == null ? null : b.windowPart(common[1]);
    Integer differ = common == null ? null : differing(a.window(), ca) + differing(b.window(), cb);
    return new Shown(Html.score(p.score()), side(p.aStart(), a.window(), ca, ctxA), side(p.bStart(), b.window(), cb, ctxB),
        differ);
  }

  /** One side's tokens: context before, the matched window, context after. */
  private record Tokens(List<String> before, List<String> window, List<String> after) {
    static Tokens of(String window, Context ctx) {
      return new Tokens(WordDiff.tokens(ctx == null ? "" : ctx.before()), WordDiff.tokens(window),
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

  /**
   * Offsets of one side: a window longer than {@link #MAX_SPAN_CHARS} keeps its first {@link #HEAD_CHARS} and last
   * {@link #TAIL_CHARS} characters (whole tokens); runs of differing words join across the spaces between them.
   */
  private static Side side(int start, List<String> tokens, boolean[] common, Context ctx) {
    int total = 0;
    for (String t : tokens) total += t.length();
    int end = start + total, headEnd = end, tailStart = end;
    List<Integer> runs = new ArrayList<>();
    int pos = 0;
    boolean hiding = false, open = false;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      int at = pos;
      pos += t.length();
      if (total > MAX_SPAN_CHARS && at >= HEAD_CHARS && pos <= total - TAIL_CHARS) {
        if (!hiding) headEnd = start + at;
        hiding = true;
        tailStart = start + pos;
        open = false;
        continue;
      }
      if (!WordDiff.isWord(t)) continue;
      boolean differs = common != null && !common[i];
      if (!differs) {
        open = false;
      } else if (open) {
        runs.set(runs.size() - 1, start + pos); // extend the open run over the spaces and this word
      } else {
        runs.add(start + at);
        runs.add(start + pos);
        open = true;
      }
    }
    if (!hiding) headEnd = tailStart = end;
    int before = ctx == null ? 0 : ctx.before().length(), after = ctx == null ? 0 : ctx.after().length();
    return new Side(start - before, start, headEnd, tailStart, end, end + after,
        runs.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int differing(List<String> tokens, boolean[] common) {
    int n = 0;
    for (int i = 0; i < tokens.size(); i++) if (!common[i]) n++;
    return n;
  }
}
