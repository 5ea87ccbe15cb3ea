package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void hyphenatedLineEndsAreJoinedBetweenLowerCaseLetters() {
        assertEquals("an example here", TextNormalizer.normalize("an exam-\nple here"));
        assertEquals("an example", TextNormalizer.normalize("an exam-  \r\n  ple"), "spaces around the break");
        assertEquals("an example", TextNormalizer.normalize("an exam\u2010\nple"));
        assertEquals("abc", TextNormalizer.normalize("a-\nb-\nc"));
        assertEquals("Anglo-\nSaxon", TextNormalizer.normalize("Anglo-\nSaxon"), "capital after the hyphen: kept");
        assertEquals("ISO-\n9001", TextNormalizer.normalize("ISO-\n9001"));
        assertEquals("exam-\n\nple", TextNormalizer.normalize("exam-\n\nple"), "paragraph break: kept");
        assertEquals("a - b", TextNormalizer.normalize("a - b"));
        assertEquals("well-known", TextNormalizer.normalize("well-known"));
        String once = TextNormalizer.normalize("re-\nentrant co-\n-op x-\ny");
        assertEquals(once, TextNormalizer.normalize(once));
    }

    @Test
    void repeatedPageHeadersAndFootersAreRemoved() {
        String[] words = {"", "alpha", "bravo", "charlie", "delta", "echo"};
        StringBuilder sb = new StringBuilder();
        for (int p = 1; p <= 5; p++) {
            if (p > 1) sb.append('\f');
            sb.append("\nACME Corp. Confidential\n\n").append(words[p]).append(" starts this page\nbody text ")
                    .append(words[p]).append(" is unique\nlast line ").append(words[p]).append("\n\nPage ")
                    .append(p).append(" of 5\n");
        }
        String out = TextNormalizer.normalize(TextNormalizer.removeRepeatedPageLines(sb.toString()));
        assertTrue(!out.contains("ACME"), out);
        assertTrue(!out.contains("of 5"), out);
        assertTrue(out.contains("charlie starts this page\nbody text charlie is unique\nlast line charlie"), out);
        assertTrue(out.startsWith("alpha starts"), out);
        assertTrue(out.endsWith("last line echo"), out);
        String two = "Head\nA\fHead\nB";
        assertEquals(two, TextNormalizer.removeRepeatedPageLines(two), "fewer than 3 pages: unchanged");
        String noFf = "Head\nA\nHead\nB";
        assertEquals(noFf, TextNormalizer.removeRepeatedPageLines(noFf));
    }

    @Test
    void linesRepeatedOnFewPagesOrInTheMiddleStay() {
        String[] pages = {"Intro\nalpha\nmiddle line\nend a", "Intro\nbeta\nmiddle line\nmore\nend b",
                "gamma\nfoo\nbar\nmiddle line\nbaz\nend c", "delta\nfoo\nbar\nmiddle line\nqux\nend d",
                "eps\nfoo\nbar\nmiddle line\nquux\nend e"};
        String out = TextNormalizer.removeRepeatedPageLines(String.join("\f", pages));
        assertTrue(out.contains("Intro"), "on 2 of 5 pages only: kept");
        assertEquals(5, out.split("middle line", -1).length - 1, "middle lines are not headers");
    }
}
