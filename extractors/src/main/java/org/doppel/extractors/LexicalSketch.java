package org.doppel.extractors;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The lexical fingerprint of a text: a MinHash sketch of its word shingles (runs of {@value #SHINGLE}
 * consecutive terms), with the number of distinct shingles so that containment can be estimated as well as
 * resemblance. Language-agnostic: a term is a run of letters and digits, except in scripts written without
 * spaces (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan), where every character is a term, so their
 * shingles are character n-grams. Two sketches compare in O({@value #PERMUTATIONS}), whatever the texts'
 * lengths.
 *
 * @param mins      per permutation, the smallest hash of any shingle (unsigned); empty when the text has no terms
 * @param shingles  distinct shingles in the text
 * @param terms     terms (words) in the text
 */
public record LexicalSketch(int[] mins, int shingles, int terms) implements Serializable {
  /** Terms per shingle: 3-word shingles separated paraphrased copies from same-topic answers best on clough-stevenson. */
  public static final int SHINGLE = 3;
  public static final int PERMUTATIONS = 256;

  private static final long[] MUL = new long[PERMUTATIONS];
  private static final long[] ADD = new long[PERMUTATIONS];

  static {
    long s = 0x9E3779B97F4A7C15L; // fixed seed: sketches must be comparable across runs and machines
    for (int i = 0; i < PERMUTATIONS; i++) {
      s = mix(s + 0x9E3779B97F4A7C15L);
      MUL[i] = s | 1;
      s = mix(s + 0x9E3779B97F4A7C15L);
      ADD[i] = s;
    }
  }

  public static final LexicalSketch EMPTY = new LexicalSketch(new int[0], 0, 0);

  public static LexicalSketch of(String text) {
    long[] termHashes = terms(text);
    if (termHashes.length == 0) return EMPTY;
    int n = Math.max(1, termHashes.length - SHINGLE + 1);
    long[] shingles = new long[n];
    for (int i = 0; i < n; i++) {
      long h = 0;
      for (int k = i; k < Math.min(termHashes.length, i + SHINGLE); k++) h = mix(h * 31 + termHashes[k]);
      shingles[i] = h;
    }
    Arrays.sort(shingles);
    int distinct = 0;
    for (int i = 0; i < n; i++) if (i == 0 || shingles[i] != shingles[i - 1]) shingles[distinct++] = shingles[i];
    int[] mins = new int[PERMUTATIONS];
    Arrays.fill(mins, -1); // unsigned maximum
    for (int i = 0; i < distinct; i++) {
      long x = shingles[i];
      for (int p = 0; p < PERMUTATIONS; p++) {
        int v = (int) ((MUL[p] * x + ADD[p]) >>> 32); // multiply-shift hashing of an already mixed 64-bit key
        if (Integer.compareUnsigned(v, mins[p]) < 0) mins[p] = v;
      }
    }
    return new LexicalSketch(mins, distinct, termHashes.length);
  }

  public boolean isEmpty() {
    return shingles == 0;
  }

  /** Estimated Jaccard resemblance of the two shingle sets: the fraction of permutations with the same minimum. */
  public double resemblance(LexicalSketch other) {
    if (isEmpty() || other.isEmpty()) return 0;
    int same = 0;
    for (int p = 0; p < PERMUTATIONS; p++) if (mins[p] == other.mins[p]) same++;
    return same / (double) PERMUTATIONS;
  }

  /**
   * Estimated fraction of this text's shingles that also occur in the other: |A n B| = J (|A| + |B|) / (1 + J),
   * divided by |A|.
   */
  public double containmentIn(LexicalSketch other) {
    return containment(resemblance(other), shingles, other.shingles);
  }

  public static double containment(double resemblance, int shinglesA, int shinglesB) {
    if (shinglesA == 0) return 0;
    double common = resemblance * (shinglesA + (double) shinglesB) / (1 + resemblance);
    return Math.min(1.0, common / shinglesA);
  }

  /** The hashes of the text's terms, in order: lower-cased letter/digit runs, single characters in unspaced scripts. */
  static long[] terms(String text) {
    long[] out = new long[Math.max(16, text.length() / 5)];
    int count = 0;
    long h = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      boolean wordChar = Character.isLetterOrDigit(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
          || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
      boolean single = wordChar && unspaced(cp);
      if (inWord && (!wordChar || single)) {
        if (count == out.length) out = Arrays.copyOf(out, count * 2);
        out[count++] = mix(h);
        inWord = false;
      }
      if (single) {
        if (count == out.length) out = Arrays.copyOf(out, count * 2);
        out[count++] = mix(0x5bd1e995L * Character.toLowerCase(cp) + 1);
      } else if (wordChar) {
        h = inWord ? h * 0x100000001B3L + Character.toLowerCase(cp) : 0xcbf29ce484222325L + Character.toLowerCase(cp);
        inWord = true;
      }
    }
    if (inWord) {
      if (count == out.length) out = Arrays.copyOf(out, count + 1);
      out[count++] = mix(h);
    }
    return Arrays.copyOf(out, count);
  }

  private static boolean unspaced(int cp) {
    Character.UnicodeScript s = Character.UnicodeScript.of(cp);
    return switch (s) {
      case HAN, HIRAGANA, KATAKANA, THAI, LAO, KHMER, MYANMAR, TIBETAN -> true;
      default -> false;
    };
  }

  /** SplitMix64's finaliser: a cheap, well-mixing 64-bit hash step. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LexicalSketch s && shingles == s.shingles && terms == s.terms && Arrays.equals(mins, s.mins);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mins) + shingles;
  }

  @Override
  public String toString() {
    return "LexicalSketch[shingles=" + shingles + ", terms=" + terms + "]";
  }
}
