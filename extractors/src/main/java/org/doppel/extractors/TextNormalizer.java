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
 * BOM) are removed; three or more consecutive line breaks become two; the result is trimmed; a word hyphenated at
 * a line end is joined ({@code exam-\nple} becomes {@code example}) when the letters on both sides of the hyphen
 * ({@code -} or U+2010) are lower-case. Idempotent.
 *
 * <p>{@link #removeRepeatedPageLines} is a PDF-aware step applied before {@code normalize} to text whose pages are
 * separated by form feeds.
 */
public final class TextNormalizer {

    /**
     * Version of the extracted text's form (this normalisation and the PDF page-line cleanup). Bump it with any
     * change that alters the text of some document: incremental state made under another version is not reused.
     */
    public static final int VERSION = 1;

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
        return joinHyphenated(sb);
    }

    /** Removes "-\n" between two lower-case letters, in place. */
    private static String joinHyphenated(StringBuilder sb) {
        int n = sb.length();
        int w = 0;
        for (int i = 0; i < n; i++) {
            char c = sb.charAt(i);
            if ((c == '-' || c == '\u2010') && i + 2 < n && sb.charAt(i + 1) == '\n' && w > 0
                    && Character.isLowerCase(sb.charAt(w - 1)) && Character.isLowerCase(sb.charAt(i + 2))) {
                i++; // drop the hyphen and the line break
                continue;
            }
            sb.setCharAt(w++, c);
        }
        sb.setLength(w);
        return sb.toString();
    }

    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("\\d+");
    private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");
    /** Lines looked at for a header (first non-blank lines) and for a footer (last non-blank lines) of a page. */
    private static final int EDGE_LINES = 2;

    /**
     * Drops running headers and footers from text whose pages are separated by form feeds ({@code \f}): a line among
     * the first or last {@value #EDGE_LINES} non-blank lines of a page is removed when the same line (compared after
     * collapsing white space, ignoring case, and with every run of digits treated alike, so "Page 3 of 9" matches
     * "Page 4 of 9") is at the top (respectively bottom) of at least 3 pages and at least 60% of the pages.
     * Texts with fewer than 3 pages are returned unchanged. Page breaks are kept.
     */
    public static String removeRepeatedPageLines(String text) {
        if (text == null || text.indexOf('\f') < 0) return text;
        String[] pages = text.split("\f", -1);
        java.util.List<String[]> lines = new java.util.ArrayList<>();
        for (String p : pages) {
            if (!p.isBlank()) lines.add(p.split("\r\n|\r|\n", -1));
        }
        int n = lines.size();
        if (n < 3) return text;
        int need = Math.max(3, (int) Math.ceil(0.6 * n));
        java.util.Map<String, Integer> top = new java.util.HashMap<>();
        java.util.Map<String, Integer> bottom = new java.util.HashMap<>();
        for (String[] ls : lines) {
            for (String k : new java.util.HashSet<>(edgeKeys(ls, true))) top.merge(k, 1, Integer::sum);
            for (String k : new java.util.HashSet<>(edgeKeys(ls, false))) bottom.merge(k, 1, Integer::sum);
        }
        top.values().removeIf(v -> v < need);
        bottom.values().removeIf(v -> v < need);
        if (top.isEmpty() && bottom.isEmpty()) return text;
        StringBuilder sb = new StringBuilder(text.length());
        for (int pi = 0; pi < pages.length; pi++) {
            if (pi > 0) sb.append('\f');
            String p = pages[pi];
            if (p.isBlank()) {
                sb.append(p);
                continue;
            }
            String[] ls = p.split("\r\n|\r|\n", -1);
            boolean[] drop = new boolean[ls.length];
            mark(ls, drop, top, true);
            mark(ls, drop, bottom, false);
            boolean first = true;
            for (int i = 0; i < ls.length; i++) {
                if (drop[i]) continue;
                if (!first) sb.append('\n');
                sb.append(ls[i]);
                first = false;
            }
        }
        return sb.toString();
    }

    private static java.util.List<String> edgeKeys(String[] ls, boolean fromTop) {
        java.util.List<String> keys = new java.util.ArrayList<>(EDGE_LINES);
        for (int j = 0; j < ls.length && keys.size() < EDGE_LINES; j++) {
            String l = ls[fromTop ? j : ls.length - 1 - j];
            if (!l.isBlank()) keys.add(lineKey(l));
        }
        return keys;
    }

    private static void mark(String[] ls, boolean[] drop, java.util.Map<String, Integer> repeated, boolean fromTop) {
        if (repeated.isEmpty()) return;
        int seen = 0;
        for (int j = 0; j < ls.length && seen < EDGE_LINES; j++) {
            int i = fromTop ? j : ls.length - 1 - j;
            if (ls[i].isBlank()) continue;
            seen++;
            if (repeated.containsKey(lineKey(ls[i]))) drop[i] = true;
        }
    }

    private static String lineKey(String line) {
        String k = SPACES.matcher(line.strip()).replaceAll(" ").toLowerCase(java.util.Locale.ROOT);
        return DIGITS.matcher(k).replaceAll("#");
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
