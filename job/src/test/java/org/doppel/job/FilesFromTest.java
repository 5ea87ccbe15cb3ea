package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.doppel.job.cli.DoppelCommand;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.report.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --files-from}: files listed in a file or on standard input, mixed with an input folder; every document
 * once (a listed file inside the folder is the folder's), listed files by absolute path, a missing one an error
 * row, and a listed file inside --out a usage error before any work.
 */
class FilesFromTest {
  private static final String TEXT = "Compost heaps need a balance of green and brown material, air and moisture. ";

  @TempDir
  Path tmp;

  @Test
  void listedFilesJoinTheFoldersEachOnce() throws Exception {
    Path docs = Files.createDirectories(tmp.resolve("docs"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.writeString(docs.resolve("a.txt"), TEXT.repeat(20));
    Files.writeString(elsewhere.resolve("b.txt"), TEXT.repeat(20) + "A last sentence of the copy.");
    Files.writeString(elsewhere.resolve("unlisted.txt"), "Not in the list.");
    Path list = tmp.resolve("list.txt");
    Files.writeString(list, "# tonight's files\n" + docs.resolve("a.txt") + "\n\n" + elsewhere.resolve("b.txt").toUri() + "\n"
        + elsewhere.resolve("b.txt") + "\n" + elsewhere.resolve("gone.txt") + "\n");
    Path out = tmp.resolve("out");
    assertEquals(0, doppel(null, "run", docs.toString(), "--files-from", list.toString(), "--out", out.toString()));
    Map<String, String> status = new TreeMap<>();
    for (Map<String, String> r : Csv.read(out.resolve("documents.csv"))) {
      assertEquals(null, status.put(r.get("path"), r.get("status")), "each document once: " + r.get("path"));
      if (r.get("input").equals("files-from")) {
        assertEquals(DocumentRow.docIdFor(r.get("path")), r.get("doc_id"), "a listed file's id is its absolute path's");
      }
    }
    assertEquals(Map.of("docs/a.txt", "ok", elsewhere.resolve("b.txt").toString(), "ok",
        elsewhere.resolve("gone.txt").toString(), "error"), status);
    assertEquals(1, Csv.read(out.resolve("pairs.csv")).size(), "the listed copy pairs with the folder's file");

    Path out2 = tmp.resolve("out2");
    assertEquals(0, doppel(elsewhere.resolve("b.txt") + "\n", "run", "--files-from", "-", "--out", out2.toString()));
    assertEquals(1, Csv.read(out2.resolve("documents.csv")).size(), "standard input, no folder");

    Files.writeString(list, out.resolve("pairs.csv") + "\n");
    assertEquals(2, doppel(null, "run", docs.toString(), "--files-from", list.toString(), "--out", out.toString()),
        "a listed file inside --out");
    assertEquals(2, doppel(null, "run", "--out", tmp.resolve("out3").toString()), "no input at all");
  }

  private static int doppel(String stdin, String... args) {
    InputStream before = System.in;
    try {
      if (stdin != null) System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      String[] all = new String[args.length + 2];
      System.arraycopy(args, 0, all, 0, args.length);
      all[args.length] = "--isolation";
      all[args.length + 1] = "thread";
      return DoppelCommand.execute(all, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(System.err, true));
    } finally {
      System.setIn(before);
    }
  }
}
