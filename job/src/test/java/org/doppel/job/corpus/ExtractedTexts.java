package org.doppel.job.corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.extractors.TikaExtractor;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.InputFile;
import org.doppel.job.report.Json;

/**
 * scripts/eval-quality: the texts {@code doppel run} extracts, for baselines that must read the very same
 * texts. Lists the folder like the run (same excludes), extracts each file through the run's own path
 * ({@link Extraction#toRow}: Tika, child-JVM isolation, OCR as given) with the run's default limits, and
 * writes a JSON array of {@code {path, status, text_sha256, text}} (text empty unless status is ok). The
 * script checks every {@code text_sha256} against the run's documents report.
 *
 * <pre>ExtractedTexts INPUT_DIR OUT.json OCR_MODE THREADS [EXCLUDE_GLOB...]</pre>
 */
public final class ExtractedTexts {
  private ExtractedTexts() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[1]);
    ExtractorConfig config = ExtractorConfig.defaults().withIsolation(ExtractorConfig.Isolation.PROCESS)
        .withWorkerProcesses(0).withOcr(ExtractorConfig.OcrMode.fromLabel(args[2]));
    int threads = Integer.parseInt(args[3]);
    List<InputFile> files = FileLister.list(List.of(args[0]), List.of(args).subList(4, args.length));
    long t0 = System.nanoTime();
    List<DocumentRow> rows = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (TikaExtractor extractor = new TikaExtractor(config)) {
      List<Future<List<DocumentRow>>> futures = new ArrayList<>();
      for (InputFile f : files) futures.add(pool.submit(() -> Extraction.toRows(f, extractor))); // a file and its entries
      for (Future<List<DocumentRow>> f : futures) rows.addAll(f.get());
    } finally {
      pool.shutdown();
    }
    List<Map<String, Object>> json = new ArrayList<>();
    for (DocumentRow r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", r.path());
      m.put("status", r.status());
      m.put("text_sha256", r.textSha256());
      m.put("text", r.text());
      json.add(m);
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Files.writeString(tmp, Json.write(json));
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    System.err.printf("extracted %d files in %.1f s%n", rows.size(), (System.nanoTime() - t0) / 1e9);
  }
}
