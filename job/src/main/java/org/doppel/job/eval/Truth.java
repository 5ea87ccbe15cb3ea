package org.doppel.job.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.doppel.job.report.Csv;

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
    List<Map<String, String>> rows = Csv.read(csv);
    List<String> header = rows.isEmpty() ? List.of() : List.copyOf(rows.get(0).keySet());
    if (!header.contains("file") || !header.contains("cluster_id")) {
      throw new IOException(csv + ": expected columns file and cluster_id, got " + header);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map<String, String> r : rows) {
      String file = r.get("file"), cluster = r.get("cluster_id");
      if (file == null || cluster == null) throw new IOException(csv + ": a row without file or cluster_id: " + r.values());
      out.put(file.trim(), cluster.trim());
    }
    return out;
  }
}
