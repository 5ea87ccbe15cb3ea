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
    for (InputFile f : files) {
      listed.add(f.path());
      DocumentRow old = previous.byPath().get(f.path());
      if (old == null) {
        newFiles++;
        toExtract.add(f);
        continue;
      }
      if (f.listError() != null || old.sha256() == null || RETRIED_STATUSES.contains(old.status())
          || (old.isOk() && !previous.texts().contains(old.textSha256()))) {
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
        reused.put(f.path(), old);
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
      } else {
        changed++;
        toExtract.add(f);
      }
    }
    int deleted = 0;
    for (String path : previous.byPath().keySet()) if (!listed.contains(path)) deleted++;
    return new FileChanges(toExtract, reused,
        new Counts(newFiles, changed, unchanged, retried, deleted, suspects.size()));
  }

  /** All documents in listing order: reused rows, and {@code fresh} rows for the files extracted this run. */
  public List<DocumentRow> merge(List<InputFile> files, List<DocumentRow> fresh) {
    Map<String, DocumentRow> byPath = new HashMap<>(reused);
    for (DocumentRow d : fresh) byPath.put(d.path(), d);
    List<DocumentRow> out = new ArrayList<>(files.size());
    for (InputFile f : files) out.add(byPath.get(f.path()));
    return out;
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
