package org.doppel.job.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Doppel's JSON goes through Jackson with this configuration: a number that is not finite (a rate over no time)
 * is written as null, as JSON has no NaN; pretty output puts one key per line as {@code "key": value}.
 */
public final class Json {
  /** Compact, for one-line records (progress events, the passages column, report.html's data). */
  public static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new SimpleModule()
      .addSerializer(Double.class, new FiniteOrNull<>()).addSerializer(double.class, new FiniteOrNull<>())
      .addSerializer(Float.class, new FiniteOrNull<>()).addSerializer(float.class, new FiniteOrNull<>()));
  private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
      .withObjectFieldValueSpacing(Separators.Spacing.AFTER).withArrayValueSpacing(Separators.Spacing.AFTER)
      .withObjectEmptySeparator("").withArrayEmptySeparator(""))
      .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance).withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));

  /** The compact mapper, also escaping what could end or confuse an HTML script element ({@code </script>}, {@code <!--}). */
  private static final ObjectMapper IN_HTML = MAPPER.copy();

  static {
    IN_HTML.getFactory().setCharacterEscapes(new HtmlSafe());
  }

  private Json() {}

  /** One line of JSON that can stand inside {@code <script type="application/json">}: no '<', '>' or '&' unescaped. */
  public static String inHtml(Object value) {
    try {
      return IN_HTML.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Indented, one key per line, ending with a line break (summary.json, extracted-text fixtures). */
  public static String write(Object value) {
    try {
      return MAPPER.writer(PRETTY).writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line. */
  public static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class HtmlSafe extends CharacterEscapes {
    private final int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();

    HtmlSafe() {
      for (char c : "<>&".toCharArray()) escapes[c] = CharacterEscapes.ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null; // the standard six-character escapes only
    }
  }

  private static final class FiniteOrNull<T extends Number> extends JsonSerializer<T> {
    @Override
    public void serialize(T v, JsonGenerator g, SerializerProvider p) throws IOException {
      double d = v.doubleValue();
      if (!Double.isFinite(d)) g.writeNull();
      else if (v instanceof Float f) g.writeNumber(f);
      else g.writeNumber(d);
    }
  }
}
