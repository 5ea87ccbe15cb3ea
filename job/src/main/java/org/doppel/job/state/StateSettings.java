package org.doppel.job.state;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.extractors.LexicalSketch;
import org.doppel.extractors.TextNormalizer;
import org.doppel.job.output.Versions;
import org.doppel.model.EmbedderConfig;

/**
 * The settings a stored document row or vector depends on. State made under other settings is not reused.
 * Batch size and thread counts are left out (they do not change results); the extraction timeout too (timed-out
 * files are extracted again on every run anyway).
 */
public record StateSettings(Map<String, String> values) {

  public static StateSettings of(ExtractorConfig x, EmbedderConfig e) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model", e.model() == null ? EmbedderConfig.DEFAULT_MODEL : e.model());
    m.put("model_files", modelFiles(e.model()));
    m.put("window_tokens", String.valueOf(e.windowTokens()));
    m.put("overlap_tokens", String.valueOf(e.overlapTokens()));
    m.put("pooling", e.pooling() == null ? "model default" : e.pooling().name().toLowerCase(java.util.Locale.ROOT));
    m.put("ocr", x.ocr().label());
    m.put("ocr_engine", x.ocr() == ExtractorConfig.OcrMode.OFF ? "-" : onPath("tesseract") ? "tesseract" : "none");
    m.put("text_version", String.valueOf(TextNormalizer.VERSION));
    m.put("tika", Versions.get().getProperty("tika", "?"));
    m.put("max_file_bytes", String.valueOf(x.maxFileBytes()));
    m.put("max_chars", String.valueOf(x.maxChars()));
    m.put("worker_heap_mb", String.valueOf(x.workerHeapMb()));
    m.put("max_depth", String.valueOf(x.maxDepth()));
    m.put("max_embedded", String.valueOf(x.maxEmbedded()));
    m.put("max_expanded_bytes", String.valueOf(x.maxExpandedBytes()));
    m.put("lexical_sketch", LexicalSketch.PERMUTATIONS + " permutations of " + LexicalSketch.SHINGLE + "-shingles");
    return new StateSettings(m);
  }

  /** "name: stored -> now" for every setting that differs; empty when the state can be reused. */
  public List<String> differences(StateSettings stored) {
    List<String> out = new ArrayList<>();
    for (String k : new TreeSet<>(union(stored))) {
      String was = stored.values.get(k), now = values.get(k);
      if (!Objects.equals(was, now)) out.add(k + ": " + (was == null ? "unset" : was) + " -> " + (now == null ? "unset" : now));
    }
    return out;
  }

  private TreeSet<String> union(StateSettings other) {
    TreeSet<String> keys = new TreeSet<>(values.keySet());
    keys.addAll(other.values.keySet());
    return keys;
  }

  /** Names, sizes and times of a model folder's files, so replaced weights in the same folder are noticed. */
  static String modelFiles(String model) {
    if (model == null || !Files.isDirectory(Path.of(model))) return "-";
    List<String> parts = new ArrayList<>();
    try (Stream<Path> s = Files.walk(Path.of(model))) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        parts.add(Path.of(model).relativize(p) + ":" + a.size() + ":" + a.lastModifiedTime().toMillis());
      }
    } catch (IOException e) {
      return "unreadable";
    }
    return sha256(String.join("\n", parts)).substring(0, 16);
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return true;
    }
    return false;
  }

  static String sha256(String s) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
