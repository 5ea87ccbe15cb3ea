package org.doppel.job.report;

import java.util.Locale;

/**
 * Escaping for report.html. Every string that comes from a document (text, path, metadata) goes through
 * {@link #esc}: markup characters become entities, so no document can add elements, attributes or scripts;
 * control characters and unpaired surrogates (invalid in HTML, unwritable as UTF-8) become U+FFFD.
 */
final class Html {
  private Html() {}

  /** Text and attribute values (double- or single-quoted) alike. */
  static String esc(Object value) {
    if (value == null) return "";
    String s = value.toString();
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> i = appendClean(sb, s, i);
      }
    }
    return sb.toString();
  }

  /**
   * The text with each character HTML cannot carry (controls, unpaired surrogates) replaced by U+FFFD, one for one,
   * so offsets into the text still hold: for text the page's script inserts as text nodes.
   */
  static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) i = appendClean(sb, s, i);
    return sb.toString();
  }

  /** Appends {@code s[i]} (a whole surrogate pair, or U+FFFD for a character HTML cannot carry); the last index used. */
  private static int appendClean(StringBuilder sb, String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
      sb.append(c).append(s.charAt(i + 1));
      return i + 1;
    }
    boolean bad = Character.isSurrogate(c) || (c < 0x20 && c != '\n' && c != '\t' && c != '\r') || (c >= 0x7f && c <= 0x9f);
    sb.append(bad ? '\uFFFD' : c);
    return i;
  }

  /** A path, as a link to {@code href} when there is one (a local file), else as text. */
  static String path(String path, String href) {
    return href == null ? "<span class=\"path\">" + esc(path) + "</span>"
        : "<a class=\"path\" href=\"" + esc(href) + "\">" + esc(path) + "</a>";
  }

  static String score(double x) {
    return String.format(Locale.ROOT, "%.4f", x);
  }

  static String percent(double x) {
    return String.format(Locale.ROOT, "%.0f%%", x * 100);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String bytes(long n) {
    if (n < 1024) return n + " B";
    if (n < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KB", n / 1024.0);
    return String.format(Locale.ROOT, "%.1f MB", n / (1024.0 * 1024));
  }

  static String seconds(double s) {
    return s < 60 ? String.format(Locale.ROOT, "%.1f s", s)
        : String.format(Locale.ROOT, "%d min %02d s", (long) s / 60, (long) s % 60);
  }
}
