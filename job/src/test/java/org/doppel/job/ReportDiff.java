package org.doppel.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.doppel.job.report.Csv;

/**
 * Do two reports say the same thing? The documents, pairs and clusters CSVs must hold the same rows (in any
 * order); cells of score and cosine columns may differ by less than {@link #TOLERANCE} (a cluster and a local
 * run batch windows differently, so libtorch may round differently). summary.json's top-level values must match too,
 * except those that say when, where and how fast a run went. Every Parquet file must be a whole Parquet file.
 * Used by scripts/cluster-test (cluster vs local), scripts/crash-test and CrashSafetyTest (rerun vs clean run).
 * {@code main(A, B)} prints one line per table and exits 0 when equal, 1 when not.
 */
final class ReportDiff {
  static final double TOLERANCE = 1e-6;
  static final List<String> TABLES = List.of("documents.csv", "pairs.csv", "clusters.csv");
  /**
   * summary.json values that differ between two runs of the same input by design: times, places, and the work a
   * run did itself (with --state a rerun reuses what an earlier run extracted and embedded; its results do not
   * change).
   */
  static final Set<String> RUN_FIELDS = Set.of("run_id", "finished_at", "report_dir", "total_seconds", "embed_texts_per_s",
      "embed_tokens_per_s", "master", "seconds", "elapsed_seconds", "files_extracted", "texts_embedded",
      "texts_reused", "tokens_embedded");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");

  /** What was compared and what differed. */
  record Result(List<String> lines, List<String> differences, double maxScoreDiff) {
    boolean equal() {
      return differences.isEmpty();
    }
  }

  private ReportDiff() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ReportDiff REPORT_A REPORT_B");
      System.exit(2);
    }
    Result r = compare(Path.of(args[0]), Path.of(args[1]));
    r.lines().forEach(System.out::println);
    r.differences().stream().limit(20).forEach(d -> System.out.println("  DIFF " + d));
    if (r.differences().size() > 20) System.out.println("  ... " + (r.differences().size() - 20) + " more differences");
    System.out.println(r.equal() ? "reports equal" : "REPORTS DIFFER (" + r.differences().size() + " differences)");
    System.exit(r.equal() ? 0 : 1);
  }

  static Result compare(Path a, Path b) throws IOException {
    List<String> lines = new ArrayList<>();
    List<String> diffs = new ArrayList<>();
    double[] maxDiff = {0};
    for (String table : TABLES) {
      int before = diffs.size();
      List<List<String>> ra = readCsv(a.resolve(table), diffs);
      List<List<String>> rb = readCsv(b.resolve(table), diffs);
      if (ra == null || rb == null) continue;
      compareTable(table, ra, rb, diffs, maxDiff);
      lines.add(String.format(Locale.ROOT, "%-14s %5d rows vs %5d rows: %s", table, ra.size() - 1, rb.size() - 1,
          diffs.size() == before ? "equal" : (diffs.size() - before) + " differences"));
    }
    int before = diffs.size();
    Map<String, String> sa = summaryValues(a.resolve("summary.json"), diffs);
    Map<String, String> sb = summaryValues(b.resolve("summary.json"), diffs);
    if (sa != null && sb != null) {
      for (String k : union(sa.keySet(), sb.keySet())) {
        if (!RUN_FIELDS.contains(k) && !String.valueOf(sa.get(k)).equals(String.valueOf(sb.get(k)))) {
          diffs.add("summary.json " + k + ": " + sa.get(k) + " vs " + sb.get(k));
        }
      }
      lines.add(String.format(Locale.ROOT, "%-14s %5d values compared: %s", "summary.json", sa.size(),
          diffs.size() == before ? "equal" : (diffs.size() - before) + " differences"));
    }
    for (Path report : List.of(a, b)) checkParquet(report, diffs);
    lines.add(String.format(Locale.ROOT, "max |score difference| %.3g (tolerance %.0e)", maxDiff[0], TOLERANCE));
    return new Result(lines, diffs, maxDiff[0]);
  }

  private static void compareTable(String table, List<List<String>> a, List<List<String>> b, List<String> diffs,
                                   double[] maxDiff) {
    if (!a.get(0).equals(b.get(0))) {
      diffs.add(table + " header: " + a.get(0) + " vs " + b.get(0));
      return;
    }
    List<String> header = a.get(0);
    boolean[] tolerant = new boolean[header.size()];
    for (int c = 0; c < header.size(); c++) {
      String h = header.get(c);
      tolerant[c] = h.contains("score") || h.equals("cosine") || h.startsWith("coverage") || h.equals("passages");
    }
    Comparator<List<String>> byExactCells = Comparator.comparing(r -> exactKey(r, tolerant));
    List<List<String>> ra = a.subList(1, a.size()).stream().sorted(byExactCells).toList();
    List<List<String>> rb = b.subList(1, b.size()).stream().sorted(byExactCells).toList();
    if (ra.size() != rb.size()) diffs.add(table + ": " + ra.size() + " rows vs " + rb.size());
    for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
      List<String> x = ra.get(i), y = rb.get(i);
      for (int c = 0; c < header.size(); c++) {
        String u = c < x.size() ? x.get(c) : null, v = c < y.size() ? y.get(c) : null;
        if (String.valueOf(u).equals(String.valueOf(v))) continue;
        double d = tolerant[c] && u != null && v != null ? numericDistance(u, v) : Double.POSITIVE_INFINITY;
        if (d < TOLERANCE) {
          maxDiff[0] = Math.max(maxDiff[0], d);
        } else {
          diffs.add(table + " row " + (i + 1) + " " + header.get(c) + ": " + clip(u) + " vs " + clip(v));
        }
      }
    }
  }

  /** The largest difference between the numbers of two cells that are equal apart from their numbers; infinity if not. */
  static double numericDistance(String u, String v) {
    Matcher mu = NUMBER.matcher(u), mv = NUMBER.matcher(v);
    if (!mu.replaceAll("#").equals(mv.replaceAll("#"))) return Double.POSITIVE_INFINITY;
    mu.reset();
    mv.reset();
    double max = 0;
    while (mu.find() && mv.find()) max = Math.max(max, Math.abs(Double.parseDouble(mu.group()) - Double.parseDouble(mv.group())));
    return max;
  }

  private static String exactKey(List<String> row, boolean[] tolerant) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < row.size(); c++) if (c >= tolerant.length || !tolerant[c]) sb.append(row.get(c)).append('\u0001');
    return sb.toString();
  }

  /** RFC 4180 rows (header first), or null with a difference noted when the file is missing. */
  static List<List<String>> readCsv(Path file, List<String> diffs) throws IOException {
    if (!Files.isRegularFile(file)) {
      diffs.add("missing " + file);
      return null;
    }
    List<List<String>> rows;
    try {
      rows = Csv.records(file);
    } catch (IOException e) { // a quoted field left open: the file was cut short
      diffs.add(file + ": unreadable CSV (truncated file?): " + e.getMessage());
      return null;
    }
    if (rows.isEmpty()) {
      diffs.add(file + ": empty (no header)");
      return null;
    }
    return rows;
  }

  /** summary.json's top-level scalar values, as JSON text (nested objects and arrays are left out). */
  static Map<String, String> summaryValues(Path file, List<String> diffs) throws IOException {
    if (!Files.isRegularFile(file)) {
      diffs.add("missing " + file);
      return null;
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      diffs.add(file + ": not a whole JSON object: " + e.getOriginalMessage());
      return null;
    }
    if (root == null || !root.isObject()) {
      diffs.add(file + ": not a whole JSON object");
      return null;
    }
    Map<String, String> out = new TreeMap<>();
    root.properties().forEach(e -> {
      if (e.getValue().isValueNode()) out.put(e.getKey(), e.getValue().toString());
    });
    return out;
  }

  /** Each Parquet part file must begin and end with the magic "PAR1" (a cut-short file does not end with it). */
  static void checkParquet(Path report, List<String> diffs) throws IOException {
    for (String table : TABLES) {
      Path dir = report.resolve(table.replace(".csv", ".parquet"));
      if (!Files.isDirectory(dir)) {
        diffs.add("missing " + dir);
        continue;
      }
      if (!Files.exists(dir.resolve("_SUCCESS"))) diffs.add(dir + ": no _SUCCESS marker");
      List<Path> parts;
      try (Stream<Path> s = Files.list(dir)) {
        parts = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
      }
      if (parts.isEmpty()) diffs.add(dir + ": no part files");
      for (Path p : parts) {
        byte[] head = new byte[4], tail = new byte[4];
        long size = Files.size(p);
        try (InputStream in = Files.newInputStream(p)) {
          in.readNBytes(head, 0, 4);
          in.skipNBytes(Math.max(0, size - 8));
          in.readNBytes(tail, 0, 4);
        }
        byte[] magic = "PAR1".getBytes(StandardCharsets.US_ASCII);
        if (size < 12 || !Arrays.equals(head, magic) || !Arrays.equals(tail, magic)) diffs.add(p + ": not a whole Parquet file");
      }
    }
  }

  private static List<String> union(Set<String> a, Set<String> b) {
    TreeMap<String, Boolean> m = new TreeMap<>();
    a.forEach(k -> m.put(k, true));
    b.forEach(k -> m.put(k, true));
    return new ArrayList<>(m.keySet());
  }

  private static String clip(String s) {
    if (s == null) return "(missing)";
    String one = s.replace("\n", "\\n");
    return one.length() > 80 ? one.substring(0, 77) + "..." : one;
  }
}
