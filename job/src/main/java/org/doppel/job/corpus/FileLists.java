package org.doppel.job.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code --files-from FILE}: one path or {@code file:} URI a line ({@code -} reads standard input), blank lines and
 * lines starting with {@code #} skipped. Each file is read as listed, whatever its folder; its id is a hash of its
 * absolute path and its {@code path} column is that path, so ids do not depend on the list's name or order.
 */
public final class FileLists {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  private FileLists() {}

  /**
   * The listed files as absolute, normalised paths, each once, in list order.
   *
   * @throws IllegalArgumentException with one line naming the list and line that cannot be used
   */
  public static List<String> read(List<String> lists, InputStream stdin) throws IOException {
    Set<String> out = new LinkedHashSet<>();
    for (String list : lists) {
      if (!list.equals("-") && !Files.isRegularFile(Path.of(list))) {
        throw new IllegalArgumentException("--files-from " + list + ": no such file");
      }
      InputStream in = list.equals("-") ? stdin : Files.newInputStream(Path.of(list));
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      int n = 0;
      for (String line; (line = r.readLine()) != null; ) {
        n++;
        String entry = line.strip();
        if (entry.isEmpty() || entry.startsWith("#")) continue;
        out.add(path(entry, list, n).toString());
      }
      if (!list.equals("-")) r.close();
    }
    return new ArrayList<>(out);
  }

  private static Path path(String entry, String list, int line) {
    if (SCHEME.matcher(entry).matches() && !entry.startsWith("/")) {
      if (!entry.startsWith("file:")) {
        throw new IllegalArgumentException("--files-from " + list + " line " + line + ": " + entry
            + ": only local paths and file: URIs can be read");
      }
      try {
        return Path.of(new URI(entry)).toAbsolutePath().normalize();
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new IllegalArgumentException("--files-from " + list + " line " + line + ": not a file URI: " + entry);
      }
    }
    return Path.of(entry).toAbsolutePath().normalize();
  }
}
