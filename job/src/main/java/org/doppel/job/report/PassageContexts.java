package org.doppel.job.report;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.doppel.job.data.EmbeddedText;
import scala.Tuple2;

/**
 * The characters just before and after matched passages, cut where the texts live (executors): report.html
 * shows each passage in context without the driver ever holding whole documents.
 */
public final class PassageContexts {
  private PassageContexts() {}

  /** A passage's character span in one distinct text. */
  public record Span(String textSha256, int start, int end) implements Serializable {}

  /** Text just before and just after a span (empty at the text's edges). */
  public record Context(String before, String after) implements Serializable {}

  public static Map<Span, Context> collect(JavaSparkContext jsc, JavaRDD<EmbeddedText> texts, Collection<Span> spans,
                                           int chars) {
    if (spans.isEmpty()) return Map.of();
    Map<String, List<Span>> byText = new HashMap<>();
    for (Span s : spans) byText.computeIfAbsent(s.textSha256(), k -> new ArrayList<>()).add(s);
    Broadcast<Map<String, List<Span>>> wanted = jsc.broadcast(byText);
    Map<Span, Context> out = new HashMap<>(texts.filter(t -> wanted.value().containsKey(t.textSha256()))
        .flatMapToPair(t -> wanted.value().get(t.textSha256()).stream()
            .map(s -> new Tuple2<>(s, around(t.text(), s, chars))).iterator())
        .collectAsMap());
    wanted.destroy();
    return out;
  }

  /** Up to {@code chars} characters each side, trimmed to whole words and never splitting a surrogate pair. */
  public static Context around(String text, Span s, int chars) {
    int start = Math.max(0, Math.min(s.start(), text.length())), end = Math.max(start, Math.min(s.end(), text.length()));
    int from = Math.max(0, start - chars), to = Math.min(text.length(), end + chars);
    if (from > 0 && from < start) from = wordStart(text, from, start);
    if (to < text.length() && to > end) to = wordEnd(text, end, to);
    return new Context(text.substring(from, start), text.substring(end, to));
  }

  private static int wordStart(String text, int from, int limit) {
    for (int i = from; i < limit && i < from + 40; i++) {
      if (Character.isWhitespace(text.charAt(i))) return i + 1;
    }
    return Character.isLowSurrogate(text.charAt(from)) ? from + 1 : from;
  }

  private static int wordEnd(String text, int limit, int to) {
    for (int i = to - 1; i > limit && i > to - 40; i--) {
      if (Character.isWhitespace(text.charAt(i))) return i;
    }
    return Character.isHighSurrogate(text.charAt(to - 1)) ? to - 1 : to;
  }
}
