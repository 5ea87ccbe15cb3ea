package org.doppel.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Where the test corpora are, and how to read their truth files. */
final class TestCorpora {
  private TestCorpora() {}

  static Path repoRoot() {
    return Path.of(System.getProperty("doppel.repo.root", "..")).toAbsolutePath().normalize();
  }

  /** ../shared beside the repository; a test that needs it is skipped, with one line naming it, where it is absent. */
  static Path shared() {
    Path shared = repoRoot().resolveSibling("shared");
    Assumptions.assumeTrue(Files.isDirectory(shared.resolve("corpora")),
        "skipped: no ../shared/corpora beside the repository (" + shared + ")");
    return shared;
  }

  /** Copies the documents of a labelled corpus (not its metadata files) into {@code dest}. */
  static void copyDocuments(Path corpus, Path dest, Iterable<String> files) throws IOException {
    for (String f : files) {
      Path target = dest.resolve(f);
      Files.createDirectories(target.getParent());
      Files.copy(corpus.resolve(f), target);
    }
  }

  /**
   * A small labelled slice of sample-docs for tests whose point is not the corpus (cluster runs, kills): one
   * cluster (a password policy in five formats: txt, eml, pdf, html, odt) and a same-topic document that must
   * stay out of it.
   */
  static final List<String> SAMPLE_SLICE = List.of("archive/password_policy_2023.txt", "inbox/fwd-password-policy.eml",
      "it/password-policy-v2.pdf", "it/password-policy.html", "it/password-policy.odt", "it/two-factor-basics.pdf");

  /** Copies {@link #SAMPLE_SLICE} into {@code dest}; returns {@code dest}. */
  static Path sampleSlice(Path dest) throws IOException {
    copyDocuments(repoRoot().resolve("sample-docs/docs"), dest, SAMPLE_SLICE);
    return dest;
  }

  static List<Path> listFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return new ArrayList<>(s.filter(Files::isRegularFile).sorted().toList());
    }
  }

  /** Copies every file under {@code from} to the same place under {@code to}, times kept. */
  static void copyTree(Path from, Path to) throws IOException {
    for (Path p : listFiles(from)) {
      Path t = to.resolve(from.relativize(p).toString());
      Files.createDirectories(t.getParent());
      Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
  }
}
