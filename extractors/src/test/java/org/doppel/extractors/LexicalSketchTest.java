package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** MinHash estimates against exact shingle-set arithmetic on real texts, and the term rules per script. */
class LexicalSketchTest {

  /** The exact shingle set, computed from the same terms by plain set arithmetic. */
  private static Set<List<Long>> shingles(String text) {
    long[] t = LexicalSketch.terms(text);
    Set<List<Long>> out = new HashSet<>();
    for (int i = 0; i + LexicalSketch.SHINGLE <= t.length; i++) {
      List<Long> s = new ArrayList<>();
      for (int k = i; k < i + LexicalSketch.SHINGLE; k++) s.add(t[k]);
      out.add(s);
    }
    return out;
  }

  private static double jaccard(Set<List<Long>> a, Set<List<Long>> b) {
    Set<List<Long>> common = new HashSet<>(a);
    common.retainAll(b);
    return common.size() / (double) (a.size() + b.size() - common.size());
  }

  private static String clough(String name) throws IOException {
    Path f = TestFiles.corpora().resolve("clough-stevenson-plagiarism/corpus-20090418").resolve(name);
    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
  }

  @Test
  void resemblanceAndContainmentEstimatesTrackExactValues() throws IOException {
    // real pairs from the plagiarism corpus: source vs cut / light / heavy answers and an unrelated answer
    String source = clough("orig_taska.txt");
    String[] others = {"g0pE_taska.txt", "g0pB_taska.txt", "g0pC_taska.txt", "g0pA_taska.txt", "g0pA_taskb.txt"};
    // 256 permutations: standard error sqrt(J(1-J)/256) <= 0.031; allow 3.5 of it
    for (String name : others) {
      String other = clough(name);
      Set<List<Long>> a = shingles(source), b = shingles(other);
      double exact = jaccard(a, b);
      LexicalSketch sa = LexicalSketch.of(source), sb = LexicalSketch.of(other);
      assertEquals(a.size(), sa.shingles(), "distinct shingles of the source");
      assertEquals(exact, sa.resemblance(sb), 0.11, "resemblance of orig_taska vs " + name);
      double common = exact * (a.size() + b.size()) / (1 + exact);
      assertEquals(common / b.size(), sb.containmentIn(sa), 0.15, "containment of " + name + " in the source");
    }
  }

  @Test
  void aPartIsContainedInItsWholeButNotTheOtherWayRound() throws IOException {
    String whole = clough("orig_taskb.txt") + "\n" + clough("orig_taskc.txt") + "\n" + clough("orig_taskd.txt");
    String part = clough("orig_taskc.txt");
    LexicalSketch w = LexicalSketch.of(whole), p = LexicalSketch.of(part);
    assertTrue(p.containmentIn(w) > 0.85, "part in whole " + p.containmentIn(w));
    double expected = p.shingles() / (double) w.shingles();
    assertEquals(expected, w.containmentIn(p), 0.12, "whole in part");
  }

  @Test
  void editsLowerResemblanceGradually() {
    Random rnd = new Random(7);
    String[] vocab = new String[5000];
    for (int i = 0; i < vocab.length; i++) vocab[i] = "w" + Integer.toString(i, 36);
    String[] words = new String[2000];
    for (int i = 0; i < words.length; i++) words[i] = vocab[rnd.nextInt(vocab.length)];
    String base = String.join(" ", words);
    double previous = 1.0;
    for (int edits : new int[] {0, 20, 100, 300}) {
      String[] copy = words.clone();
      for (int e = 0; e < edits; e++) copy[rnd.nextInt(copy.length)] = "edit" + e;
      double j = LexicalSketch.of(base).resemblance(LexicalSketch.of(String.join(" ", copy)));
      double exact = jaccard(shingles(base), shingles(String.join(" ", copy)));
      assertEquals(exact, j, 0.1, edits + " edits");
      assertTrue(j <= previous + 0.05, "resemblance falls with edits");
      previous = j;
    }
  }

  @Test
  void termsFollowTheScript() {
    assertEquals(4, LexicalSketch.terms("Hello, wörld! 42 times").length);
    assertEquals(3, LexicalSketch.terms("Привет мир снова").length, "Cyrillic words");
    assertEquals(3, LexicalSketch.terms("مرحبا بالعالم الجميل").length, "Arabic words");
    assertEquals(4, LexicalSketch.terms("重复文档").length, "Han: one term per character");
    assertEquals(7, LexicalSketch.terms("これは test です。abc").length, "kana per character, latin words whole");
    // case and surrounding punctuation do not matter
    assertTrue(Arrays.equals(LexicalSketch.terms("The Cat sat."), LexicalSketch.terms("the cat SAT")));
  }

  @Test
  void chineseNearDuplicatesResembleAndUnrelatedTextsDoNot() {
    String a = "近重复文档检测是信息检索中的一个重要问题。系统需要在大量文件中找到内容相同或几乎相同的文档，"
        + "即使它们的格式和排版不同。常见的方法包括最小哈希和局部敏感哈希，它们可以在不比较所有文档对的情况下找到候选对。";
    String b = a.replace("重要问题", "关键问题").replace("常见的方法", "常用的方法");
    String c = "今天的天气非常好，我们去公园散步，看到很多人在湖边钓鱼。孩子们在草地上放风筝，老人们在树下下棋聊天。";
    LexicalSketch sa = LexicalSketch.of(a), sb = LexicalSketch.of(b), sc = LexicalSketch.of(c);
    assertTrue(sa.resemblance(sb) > 0.7, "edited copy " + sa.resemblance(sb));
    assertTrue(sa.resemblance(sc) < 0.05, "unrelated " + sa.resemblance(sc));
  }

  @Test
  void emptyAndTinyTexts() {
    assertTrue(LexicalSketch.of("").isEmpty());
    assertTrue(LexicalSketch.of(" \n\t ... --- ").isEmpty());
    assertEquals(0, LexicalSketch.of("").resemblance(LexicalSketch.of("")), "empty texts never resemble each other");
    LexicalSketch two = LexicalSketch.of("two words");
    assertEquals(1, two.shingles(), "a text shorter than a shingle is one shingle");
    assertEquals(2, two.terms());
    assertEquals(1.0, two.resemblance(LexicalSketch.of("Two, words!")));
  }
}
