package org.doppel.job.corpus;

import org.doppel.job.storage.Location;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --files-from FILE}: one path or URI a line (a local path, {@code file:}, or any Hadoop FileSystem URI such as
 * {@code hdfs://} or {@code s3a://}; the list itself may be one too, and {@code -} reads standard input), blank lines and
 * lines starting with {@code #} skipped. Each file is read as listed, whatever its folder; its id is a hash of its
 * absolute path and its {@code path} column is that path, so ids do not depend on the list's name or order.
 */
public final class FileLists {
  private FileLists() {}

  /**
   * The listed files as absolute, normalised paths, each once, in list order.
   *
   * @throws IllegalArgumentException with one line naming the list and line that cannot be used
   */
  public static List<String> read(List<String> lists, InputStream stdin) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    for (String list : lists) {
      Location at = list.equals("-") ? null : Location.of(list);
      if (at != null && !at.isFile()) throw new IllegalArgumentException("--files-from " + list + ": no such file");
      InputStream in = at == null ? stdin : at.open();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int n = 0;
      for (String line; (line = r.readLine()) != null; ) {
        n++;
        String entry = line.strip();
        if (entry.isEmpty() || entry.startsWith("#")) continue;
        out.add(path(entry, list, n));
      }
      if (at != null) r.close();
    }
    return new ArrayList<>(out);
  }

  /** A local entry as an absolute, normalised path; a Hadoop FileSystem URI as Hadoop spells it. */
  private static String path(String entry, String list, int line) {
    try {
      Location at = Location.of(entry);
      return at.localPath() != null ? at.localPath().toAbsolutePath().normalize().toString() : at.toString();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--files-from " + list + " line " + line + ": not a path or URI: " + entry);
    }
  }
}
