package org.doppel.job.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.doppel.job.DocumentRow;
import org.doppel.job.InputFile;

/**
 * This listing against the previous run's rows: which files are new, changed, unchanged or gone, which rows can
 * be reused and which files must be extracted.
 *
 * <p>A file is unchanged when it has the same path and the same bytes (SHA-256) as before. Its size and
 * modification time are trusted to skip hashing when both equal the stored ones, it is read from the same input
 * folder, and it was last modified more than {@link #RACY_MS} before the previous run started (a file written in
 * the same timestamp tick as that run looked at it could change again without its time changing; such files are
 * hashed, as git does with its index). Trusting size and time is what rsync and make do: a tool that rewrites a
 * file and then sets its old time back, at the same size, goes unnoticed. Any other file whose size is the same is
 * hashed (on the executors) and reused if its bytes are; a file whose size differs has changed.
 *
 * <p>Rows whose earlier extraction may not be final ({@code timeout}, {@code error}, or no SHA-256), and rows whose
 * text is missing from the stored texts, are not reused: the file is extracted again and counted as {@code retried}.
 * A container (archive, mail) is one file: its entries' rows are reused with it, or extracted again with it.
 */
public record FileChanges(List<InputFile> toExtract, Map<String, DocumentRow> reused, Counts counts) {
  /** Modification times this close to the previous run's start are not trusted to mean "unchanged". */
  public static final long RACY_MS = 2_000;
  private static final Set<String> RETRIED_STATUSES = Set.of("timeout", "error");

  /** Files per outcome. new + changed + unchanged + retried = files listed; deleted were in the state only. */
  public record Counts(int newFiles, int changed, int unchanged, int retried, int deleted, int hashed) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("new", newFiles);
      m.put("changed", changed);
      m.put("unchanged", unchanged);
      m.put("retried", retried);
      m.put("deleted", deleted);
      m.put("hashed", hashed);
      return m;
    }
  }

  public static FileChanges detect(JavaSparkContext jsc, List<InputFile> files, PreviousState previous, int partitions) {
    List<InputFile> toExtract = new ArrayList<>();
    Map<String, DocumentRow> reused = new HashMap<>();
    List<InputFile> suspects = new ArrayList<>();
    List<Long> suspectTimes = new ArrayList<>();
    int newFiles = 0, changed = 0, unchanged = 0, retried = 0;
    Set<String> listed = new HashSet<>();
    Map<String, List<DocumentRow>> children = children(previous.byPath().values());
    for (InputFile f : files) {
      listed.add(f.path());
      DocumentRow old = previous.byPath().get(f.path());
      if (old == null) {
        newFiles++;
        toExtract.add(f);
        continue;
      }
      List<DocumentRow> rows = new ArrayList<>(List.of(old));
      descendants(old.path(), children, rows);
      if (f.listError() != null || old.sha256() == null || rows.stream().anyMatch(r -> notFinal(r, previous))) {
        retried++;
        toExtract.add(f);
        continue;
      }
      BasicFileAttributes now = stat(f);
      if (now == null || now.size() != old.sizeBytes()) {
        changed++;
        toExtract.add(f);
      } else if (now.lastModifiedTime().toMillis() == old.modifiedMillis() && f.input().equals(old.input())
          && old.modifiedMillis() < previous.listedAtMs() - RACY_MS) {
        unchanged++;
        for (DocumentRow r : rows) reused.put(r.path(), r);
      } else {
        suspects.add(f);
        suspectTimes.add(now.lastModifiedTime().toMillis());
      }
    }
    List<String> hashes = suspects.isEmpty() ? List.of()
        : jsc.parallelize(suspects, Math.max(1, Math.min(suspects.size(), partitions))).map(FileChanges::sha256).collect();
    for (int i = 0; i < suspects.size(); i++) {
      InputFile f = suspects.get(i);
      DocumentRow old = previous.byPath().get(f.path());
      if (old.sha256().equals(hashes.get(i))) {
        unchanged++;
        reused.put(f.path(), old.seenAgain(f.input(), suspectTimes.get(i)));
        List<DocumentRow> rows = new ArrayList<>();
        descendants(old.path(), children, rows);
        for (DocumentRow r : rows) reused.put(r.path(), r);
      } else {
        changed++;
        toExtract.add(f);
      }
    }
    int deleted = 0;
    for (DocumentRow d : previous.byPath().values()) if (d.parent() == null && !listed.contains(d.path())) deleted++;
    return new FileChanges(toExtract, reused,
        new Counts(newFiles, changed, unchanged, retried, deleted, suspects.size()));
  }

  /**
   * All documents in listing order, each container's entries after it: reused rows, and {@code fresh} rows for the
   * files extracted this run.
   */
  public List<DocumentRow> merge(List<InputFile> files, List<DocumentRow> fresh) {
    Map<String, DocumentRow> byPath = new HashMap<>(reused);
    for (DocumentRow d : fresh) byPath.put(d.path(), d);
    List<DocumentRow> rows = new ArrayList<>(reused.values());
    rows.addAll(fresh);
    Map<String, List<DocumentRow>> children = children(rows);
    List<DocumentRow> out = new ArrayList<>(byPath.size());
    for (InputFile f : files) {
      DocumentRow d = byPath.get(f.path());
      out.add(d);
      descendants(d.path(), children, out);
    }
    return out;
  }

  private static boolean notFinal(DocumentRow r, PreviousState previous) {
    return RETRIED_STATUSES.contains(r.status()) || (r.isOk() && !previous.texts().contains(r.textSha256()));
  }

  /** Embedded documents by their container's path, each list in path order. */
  private static Map<String, List<DocumentRow>> children(Iterable<DocumentRow> rows) {
    Map<String, List<DocumentRow>> out = new HashMap<>();
    for (DocumentRow d : rows) if (d.parent() != null) out.computeIfAbsent(d.parent(), k -> new ArrayList<>()).add(d);
    for (List<DocumentRow> l : out.values()) l.sort(java.util.Comparator.comparing(DocumentRow::path));
    return out;
  }

  private static void descendants(String path, Map<String, List<DocumentRow>> children, List<DocumentRow> out) {
    for (DocumentRow c : children.getOrDefault(path, List.of())) {
      out.add(c);
      descendants(c.path(), children, out);
    }
  }

  private static BasicFileAttributes stat(InputFile f) {
    try {
      return Files.readAttributes(Path.of(f.absolutePath()), BasicFileAttributes.class);
    } catch (IOException | SecurityException e) {
      return null; // extracted again, which reports why it cannot be read
    }
  }

  /** Hex SHA-256 of a file's bytes; null if it cannot be read (then it is extracted again). */
  static String sha256(InputFile f) {
    try (InputStream in = Files.newInputStream(Path.of(f.absolutePath()))) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | SecurityException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
