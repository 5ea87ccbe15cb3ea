package org.doppel.job.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a labelled corpus' {@code clusters.csv}: columns {@code file} and {@code cluster_id} (others ignored). */
public final class Truth {
  private Truth() {}

  /** Metadata files that sit in a corpus folder but are not documents of the set. */
  public static boolean isMetadata(String relativePath) {
    String name = Path.of(relativePath).getFileName().toString();
    return name.endsWith(".csv") || name.endsWith(".xls") || name.equals("README.txt") || name.equals("NOTICE")
        || name.equals("MANIFEST.tsv");
  }

  public static Map<String, String> clusters(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    List<String> header = Arrays.asList(lines.get(0).trim().split(","));
    int file = header.indexOf("file"), cluster = header.indexOf("cluster_id");
    if (file < 0 || cluster < 0) throw new IOException(csv + ": expected columns file and cluster_id, got " + header);
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) continue;
      String[] f = line.split(",", -1);
      out.put(f[file].trim(), f[cluster].trim());
    }
    return out;
  }
}
