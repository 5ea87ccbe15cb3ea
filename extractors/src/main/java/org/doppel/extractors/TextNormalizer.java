package org.doppel.extractors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;

/**
 * Canonical text form used for hashing, chunking and embedding.
 *
 * <p>{@link #normalize} applies, in order: Unicode NFKC; line endings ({@code \r\n}, {@code \r}, NEL, LS, PS,
 * vertical tab, form feed) become {@code \n}; runs of horizontal white space (space, tab, any Unicode space
 * separator) become one space; white space at the start and end of each line is dropped; control characters
 * (other than line breaks and tabs) and invisible format characters (soft hyphen, zero-width space, word joiner,
 * BOM) are removed; three or more consecutive line breaks become two; the result is trimmed.
 */
public final class TextNormalizer {

    private TextNormalizer() {}

    public static String normalize(String text) {
        if (text == null || text.isEmpty()) return "";
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder(s.length());
        int newlines = 0;
        boolean space = false;
        int n = s.length();
        for (int i = 0; i < n; ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\r') {
                if (i < n && s.charAt(i) == '\n') i++;
                newlines++;
                continue;
            }
            if (c == '\n' || c == 0x0B || c == '\f' || c == 0x85 || c == 0x2028 || c == 0x2029) {
                newlines++;
                continue;
            }
            if (c == '\t' || Character.getType(c) == Character.SPACE_SEPARATOR) {
                space = true;
                continue;
            }
            if (Character.getType(c) == Character.CONTROL || isInvisible(c)) {
                continue;
            }
            if (sb.length() > 0) {
                if (newlines > 0) {
                    sb.append(newlines >= 2 ? "\n\n" : "\n");
                } else if (space) {
                    sb.append(' ');
                }
            }
            newlines = 0;
            space = false;
            sb.appendCodePoint(c);
        }
        return sb.toString();
    }

    private static boolean isInvisible(int c) {
        return c == 0x00AD || c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF;
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text} (null is treated as ""). */
    public static String sha256Hex(String text) {
        MessageDigest md = newSha256();
        return HexFormat.of().formatHex(md.digest((text == null ? "" : text).getBytes(StandardCharsets.UTF_8)));
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 not available", e);
        }
    }
}
