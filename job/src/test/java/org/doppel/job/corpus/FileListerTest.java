package org.doppel.job.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.extractors.TikaExtractor;
import org.doppel.job.RunConfig;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.InputFile;
import org.doppel.job.decide.Pairs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing is recursive, sorted, honours --exclude, and keeps what it cannot read as rows; every listed path gives
 * exactly one row, plus one row per document embedded in it.
 */
public class FileListerTest {
  @TempDir
  Path tmp;

  @Test
  void recursiveSortedWithExcludesAndBrokenLinks() throws Exception {
    Path in = tmp.resolve("in");
    write(in.resolve("b.txt"), "b");
    write(in.resolve("a/z.txt"), "z");
    write(in.resolve("a/truth.csv"), "x");
    write(in.resolve("skip/c.txt"), "c");
    Files.createSymbolicLink(in.resolve("dangling.pdf"), in.resolve("missing.pdf"));

    List<InputFile> files = FileLister.list(List.of(in.toString()), List.of("*.csv", "skip"));
    assertEquals(List.of("a/z.txt", "b.txt", "dangling.pdf"), files.stream().map(InputFile::path).toList());

    try (TikaExtractor extractor = new TikaExtractor(ExtractorConfig.defaults())) {
      DocumentRow broken = Extraction.toRows(files.get(2), extractor).get(0);
      assertEquals("error", broken.status());
      assertEquals("dangling.pdf", broken.path());
      assertEquals("ok", Extraction.toRows(files.get(0), extractor).get(0).status());
    }
  }

  @Test
  void severalInputsArePrefixedAndMissingInputIsAnError() throws Exception {
    write(tmp.resolve("x/a.txt"), "1");
    write(tmp.resolve("y/a.txt"), "2");
    List<InputFile> files = FileLister.list(List.of(tmp.resolve("x").toString(), tmp.resolve("y").toString()), List.of());
    assertEquals(2, files.size());
    assertEquals("x/a.txt", files.get(0).path(), "prefixed by the folder's name");
    assertThrows(IOException.class, () -> FileLister.list(List.of(tmp.resolve("nope").toString()), List.of()));
  }

  @Test
  void idsDoNotDependOnSpellingOrderOrNumberOfInputs() throws Exception {
    write(tmp.resolve("docs/a.txt"), "1");
    write(tmp.resolve("docs/sub/b.txt"), "2");
    write(tmp.resolve("more/c.txt"), "3");
    Path docs = tmp.resolve("docs");
    String relative = Path.of("").toAbsolutePath().relativize(docs).toString();
    Map<String, String> expected = ids(List.of(docs.toString()), "docs");
    assertEquals(2, expected.size());
    for (List<String> inputs : List.of(List.of(docs + "/"), List.of(relative), List.of("./" + relative + "/"),
        List.of(docs + "/sub/.."), List.of(docs.toString(), tmp.resolve("more").toString()),
        List.of(tmp.resolve("more").toString(), "./" + relative))) {
      assertEquals(expected, ids(inputs, "docs"), inputs.toString());
    }
    Map<String, String> named = ids(List.of("d=" + docs), "d");
    write(tmp.resolve("moved/elsewhere/a.txt"), "1");
    write(tmp.resolve("moved/elsewhere/sub/b.txt"), "2");
    assertEquals(named, ids(List.of("d=" + tmp.resolve("moved/elsewhere"), tmp.resolve("more").toString()), "d"),
        "a named folder keeps its ids when it moves");
    assertEquals("d/sub/b.txt", FileLister.list(List.of("d=" + docs, tmp.resolve("more").toString()), List.of()).stream()
        .filter(f -> f.absolutePath().endsWith("b.txt")).findFirst().orElseThrow().path(), "paths carry the name");
    IOException clash = assertThrows(IOException.class,
        () -> FileLister.list(List.of(docs.toString(), tmp.resolve("moved/docs").toString()), List.of()));
    assertTrue(clash.getMessage().contains("both named 'docs'"), clash.getMessage());
  }

  /** Ids by path relative to the input folder named {@code name}. */
  private static Map<String, String> ids(List<String> inputs, String name) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (InputFile f : FileLister.list(inputs, List.of())) {
      if (f.input().equals(name)) out.put(f.idPath(), f.docId());
    }
    return out;
  }

  @Test
  void everyInputPathOnceWithEmbeddedDocumentsAndUnreadableFilesAsErrorRows() throws Exception {
    Path in = tmp.resolve("in");
    String report = "Revenue grew by eleven percent in the third quarter, driven by the northern stores.";
    write(in.resolve("a b/naïve résumé.txt"), "Curriculum vitae: data engineer, Köln.");
    write(in.resolve("report.txt"), report);
    Files.write(in.resolve("mail.eml"), mail("Numbers attached.", "report.txt", report));
    Files.write(in.resolve("bundle.zip"), zip("copies/report copy.txt", report));
    Files.createSymbolicLink(in.resolve("loop-a"), in.resolve("loop-b"));
    Files.createSymbolicLink(in.resolve("loop-b"), in.resolve("loop-a"));
    Files.createSymbolicLink(in.resolve("here"), in);                  // a link to a folder where a file is expected
    Files.createSymbolicLink(in.resolve("mem"), Path.of("/proc/self/mem")); // unreadable even for root (EIO)
    assertEquals(0, new ProcessBuilder("mkfifo", in.resolve("pipe").toString()).start().waitFor(), "mkfifo");
    write(in.resolve("gone.txt"), "removed after listing");
    write(in.resolve("became-dir.txt"), "replaced by a folder after listing");

    List<InputFile> files = FileLister.list(List.of(in.toString()), List.of());
    Files.delete(in.resolve("gone.txt"));
    Files.delete(in.resolve("became-dir.txt"));
    Files.createDirectory(in.resolve("became-dir.txt"));

    List<DocumentRow> rows = new ArrayList<>();
    try (TikaExtractor ex = new TikaExtractor(ExtractorConfig.defaults().withIsolation(ExtractorConfig.Isolation.THREAD)
        .withOcr(ExtractorConfig.OcrMode.OFF))) {
      for (InputFile f : files) rows.addAll(Extraction.toRows(f, ex));
    }
    Map<String, DocumentRow> byPath = new TreeMap<>();
    for (DocumentRow r : rows) assertNull(byPath.put(r.path(), r), "one row per path: " + r.path());
    List<String> topLevel = rows.stream().filter(r -> r.parent() == null).map(DocumentRow::path).toList();
    assertEquals(files.stream().map(InputFile::path).toList(), topLevel, "every input path exactly once, in order");
    assertEquals(List.of("a b/naïve résumé.txt", "became-dir.txt", "bundle.zip", "gone.txt", "here", "loop-a",
        "loop-b", "mail.eml", "mem", "pipe", "report.txt"), topLevel);
    for (DocumentRow r : rows) {
      if (r.parent() != null) assertTrue(byPath.containsKey(r.parent()), "container of " + r.path() + " has a row");
      assertEquals(DocumentRow.docIdFor("in/" + r.path()), r.docId(), "id of folder name + path");
    }

    assertEquals("ok", byPath.get("a b/naïve résumé.txt").status());
    assertError(byPath, "became-dir.txt", "is a directory");
    assertError(byPath, "gone.txt", "file not found");
    assertError(byPath, "here", "is a directory");
    assertError(byPath, "loop-a", "symbolic link loop");
    assertError(byPath, "loop-b", "symbolic link loop");
    assertError(byPath, "mem", "read failed: IOException: Input/output error");
    assertError(byPath, "pipe", "not a regular file");

    DocumentRow attached = byPath.get("mail.eml!/report.txt");
    assertEquals("mail.eml", attached.parent());
    assertEquals("bundle.zip!/copies/report copy.txt", byPath.get("bundle.zip!/copies/report copy.txt").path());
    assertEquals("bundle.zip", byPath.get("bundle.zip!/copies/report copy.txt").parent());
    assertEquals("empty", byPath.get("bundle.zip").status(), "an archive has no text of its own: never paired");
    assertEquals("ok", byPath.get("mail.eml").status());

    // exact copies inside containers pair with the file like any other document, embedded once
    List<DocumentRow> group = rows.stream().filter(d -> d.isOk() && d.textSha256().equals(attached.textSha256()))
        .sorted(java.util.Comparator.comparing(DocumentRow::path)).toList();
    List<String> exact = Pairs.exact(group, RunConfig.DEFAULT_DECISION.minTerms()).stream()
        .map(p -> p.pathA() + " ~ " + p.pathB() + " (" + p.reason() + ")").toList();
    assertEquals(List.of("bundle.zip!/copies/report copy.txt ~ mail.eml!/report.txt (same bytes)",
        "bundle.zip!/copies/report copy.txt ~ report.txt (same bytes)", "mail.eml!/report.txt ~ report.txt (same bytes)"), exact);
  }

  @Test
  void permissionDeniedForNonRootUsers() throws Exception {
    Path locked = tmp.resolve("locked.txt");
    write(locked, "secret");
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    Assumptions.assumeFalse(Files.isReadable(locked),
        "running as root: chmod 000 does not stop root from reading (see the FIFO, /proc/self/mem, removed-file cases)");
    try (TikaExtractor ex = new TikaExtractor(ExtractorConfig.defaults().withIsolation(ExtractorConfig.Isolation.THREAD))) {
      DocumentRow r = Extraction.toRows(InputFile.of(tmp.toString(), locked.toString(), "locked.txt"), ex).get(0);
      assertEquals("error", r.status());
      assertEquals("permission denied", r.statusDetail());
    }
  }

  private static void assertError(Map<String, DocumentRow> byPath, String path, String detail) {
    DocumentRow r = byPath.get(path);
    assertEquals("error", r.status(), path);
    assertEquals(detail, r.statusDetail(), path);
    assertNull(r.parent(), path);
  }

  public static byte[] zip(String name, String text) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(bos)) {
      z.putNextEntry(new ZipEntry(name));
      z.write(text.getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }
    return bos.toByteArray();
  }

  /** A multipart/mixed mail with a plain-text body and one base64 text attachment. */
  public static byte[] mail(String body, String name, String attachment) {
    return ("From: a@example.com\r\nTo: b@example.com\r\nSubject: numbers\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain\r\n\r\n" + body
        + "\r\n--XX\r\nContent-Type: text/plain; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\""
        + name + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + Base64.getMimeEncoder().encodeToString(attachment.getBytes(StandardCharsets.UTF_8)) + "\r\n--XX--\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void write(Path p, String s) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, s);
  }
}
