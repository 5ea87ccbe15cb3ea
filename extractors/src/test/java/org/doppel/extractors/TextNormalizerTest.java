package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class TextNormalizerTest {

    @Test
    void nfkcFoldsLigaturesAndCompatibilityForms() {
        assertEquals("file fluent", TextNormalizer.normalize("\ufb01le \ufb02uent"));
        assertEquals("ABC 123", TextNormalizer.normalize("\uff21\uff22\uff23 \uff11\uff12\uff13")); // full-width
        assertEquals("caf\u00e9", TextNormalizer.normalize("cafe\u0301")); // composed
        assertEquals("a b", TextNormalizer.normalize("a\u00a0b")); // no-break space
    }

    @Test
    void lineEndingsAreUnified() {
        assertEquals("a\nb\nc\nd", TextNormalizer.normalize("a\r\nb\rc\nd"));
        assertEquals("a\nb\nc", TextNormalizer.normalize("a\u2028b\u0085c"));
        assertEquals(TextNormalizer.normalize("one\ntwo\n\nthree"), TextNormalizer.normalize("one\r\ntwo\r\n\r\nthree\r\n"));
    }

    @Test
    void whitespaceRunsCollapse() {
        assertEquals("a b c", TextNormalizer.normalize("a  \t b\t\t\tc"));
        assertEquals("a\nb", TextNormalizer.normalize("a   \n   b"), "spaces around a line break are dropped");
        assertEquals("a b", TextNormalizer.normalize("a\u2003\u3000b"));
    }

    @Test
    void threeOrMoreNewlinesBecomeTwo() {
        assertEquals("a\n\nb", TextNormalizer.normalize("a\n\n\n\n\nb"));
        assertEquals("a\n\nb", TextNormalizer.normalize("a\n \n\t\n  \nb"), "blank lines with spaces count as blank");
        assertEquals("a\n\nb", TextNormalizer.normalize("a\n\nb"));
        assertEquals("a\n\nb", TextNormalizer.normalize("a\f\fb"));
    }

    @Test
    void controlCharactersAreStrippedAndResultTrimmed() {
        assertEquals("abc", TextNormalizer.normalize("a\u0000b\u0007c"));
        assertEquals("ab", TextNormalizer.normalize("a\u00adb")); // soft hyphen
        assertEquals("ab", TextNormalizer.normalize("\ufeffa\u200bb"));
        assertEquals("x", TextNormalizer.normalize("  \n\n x \n\t "));
        assertEquals("", TextNormalizer.normalize(" \t\r\n "));
        assertEquals("", TextNormalizer.normalize(null));
        assertEquals("\ud83d\ude00 ok", TextNormalizer.normalize("\ud83d\ude00  ok")); // supplementary kept
    }

    @Test
    void idempotent() {
        String s = "  \ufb01rst\r\n\r\n\r\nsecond \t line\u0000  ";
        String once = TextNormalizer.normalize(s);
        assertEquals("first\n\nsecond line", once);
        assertEquals(once, TextNormalizer.normalize(once));
    }

    @Test
    void sha256IsStableOverUtf8() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", TextNormalizer.sha256Hex(""));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TextNormalizer.sha256Hex("abc"));
        assertEquals(TextNormalizer.sha256Hex("caf\u00e9"), TextNormalizer.sha256Hex("caf\u00e9"));
        assertNotEquals(TextNormalizer.sha256Hex("caf\u00e9"), TextNormalizer.sha256Hex("cafe\u0301"));
        assertEquals(TextNormalizer.sha256Hex(TextNormalizer.normalize("caf\u00e9")),
                TextNormalizer.sha256Hex(TextNormalizer.normalize("cafe\u0301")));
        assertEquals(64, TextNormalizer.sha256Hex("x").length());
    }
}
