package org.doppel.model;

import java.util.ArrayList;
import java.util.List;

/** Texts of varied length, punctuation and scripts for the golden tests. */
final class TestTexts {
  private TestTexts() {}

  static final String PARAGRAPH =
      "Inheritance in object oriented programming is a way to form new classes using classes that"
          + " have already been defined. The new classes, known as derived classes, take over (or"
          + " inherit) attributes and behaviour of the pre-existing classes, which are referred to"
          + " as base classes. It is intended to help reuse existing code with little or no"
          + " modification. Dynamic programming, by contrast, solves problems by combining the"
          + " solutions of overlapping sub-problems; Bellman coined the term in the 1950s. ";

  static List<String> golden() {
    List<String> t = new ArrayList<>();
    t.add("Hello");
    t.add("a");
    t.add("!");
    t.add("How is the weather today?");
    t.add("What is the current weather like today?");
    t.add("I drew a dog.");
    t.add("The storm is coming.");
    t.add("Café déjà vu: naïve coöperation, façade, jalapeño — “smart quotes” and ‘single’.");
    t.add("Straße, Ærøskøbing, Łódź, İstanbul, ΑΒΓ δέλτα, Москва, 東京タワー, 北京大学, 한국어 텍스트.");
    t.add("Emoji test 😀🎉👍🏽 and math ∑∫√∞ ≤ ≥ ≠ plus symbols © ® ™ § ¶ † ‡ • … ‰.");
    t.add("    leading and trailing whitespace\t\twith tabs\n\nand newlines   ");
    t.add("C++ / Java 17 / x = y * (z + 1); // comment <html><b>bold</b></html> a@b.com http://x.org/?q=1&r=2");
    t.add("1234567890 3.14159 -42 1e-12 0xFF 2024-01-31T12:00:00Z $1,000,000.00 50% #hashtag @user");
    t.add("UPPER CASE SENTENCE WITH SOME WORDS THAT SHOUT LOUDLY AT THE READER!!!");
    t.add("supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis");
    t.add(PARAGRAPH);
    t.add(PARAGRAPH.repeat(2) + "Ünïcödé tail — ok?");
    t.add(PARAGRAPH.repeat(3));
    t.add(PARAGRAPH.repeat(4).replace('.', '!'));
    t.add(PARAGRAPH.repeat(5));
    t.add(PARAGRAPH.repeat(5) + "Extra words at the very end of a long window to get close to five hundred tokens in all.");
    t.add("repeat ".repeat(300));
    return t;
  }
}
