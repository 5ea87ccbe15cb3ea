package org.doppel.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Real texts from the shared corpora (benchmarks and the pooling measurement only). */
final class Corpora {
  private Corpora() {}

  static Path root() {
    return Path.of(System.getProperty("doppel.corpora", "/work/shared/corpora"));
  }

  static List<Path> files(Path dir, String... suffixes) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> {
            for (String suf : suffixes) if (p.getFileName().toString().endsWith(suf)) return true;
            return false;
          })
          .sorted()
          .toList();
    }
  }

  static String read(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    String s = new String(b, StandardCharsets.UTF_8);
    if (s.indexOf('\uFFFD') >= 0) s = new String(b, StandardCharsets.ISO_8859_1);
    return s;
  }

  /** Clough-Stevenson (100 short answers) plus the plain-text files of neardup-small. */
  static List<String> benchTexts() throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : files(root().resolve("clough-stevenson-plagiarism/corpus-20090418"), ".txt")) out.add(read(p));
    for (Path p : files(root().resolve("neardup-small"), ".txt", ".md")) out.add(read(p));
    return out;
  }
}
