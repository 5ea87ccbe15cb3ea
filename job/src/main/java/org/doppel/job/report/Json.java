package org.doppel.job.report;

import java.util.Collection;
import java.util.Map;

/** Minimal JSON serialisation of maps, lists, strings, numbers and booleans (for summary.json). */
public final class Json {
  private Json() {}

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, int indent) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append("{\n");
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        pad(sb, indent + 2).append(quote(String.valueOf(e.getKey()))).append(": ");
        write(sb, e.getValue(), indent + 2);
        sb.append(++i < m.size() ? ",\n" : "\n");
      }
      pad(sb, indent).append('}');
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      int i = 0;
      for (Object o : c) {
        write(sb, o, indent);
        if (++i < c.size()) sb.append(", ");
      }
      sb.append(']');
    } else if (v instanceof Number || v instanceof Boolean) {
      double d = v instanceof Number n ? n.doubleValue() : 0;
      sb.append(Double.isFinite(d) ? v.toString() : "null");
    } else {
      sb.append(quote(v.toString()));
    }
  }

  private static StringBuilder pad(StringBuilder sb, int n) {
    return sb.append(" ".repeat(n));
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
        }
      }
    }
    return sb.append('"').toString();
  }
}
