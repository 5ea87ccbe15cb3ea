package org.doppel.extractors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The cost of the lexical path per document, beside extraction itself: extracts every file under DIR once
 * (in-process Tika, the same normaliser), then sketches all ok texts REPS times. Usage: SketchBench DIR [reps=5].
 * Prints one line: docs, chars, extraction ms per doc, sketch ms per doc, sketch MB/s, ratio sketch/extraction.
 */
public final class SketchBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".csv")).sorted().toList();
    }
    List<String> texts = new ArrayList<>();
    long t0 = System.nanoTime();
    ExtractorConfig cfg = ExtractorConfig.defaults().withIsolation(ExtractorConfig.Isolation.THREAD)
        .withOcr(ExtractorConfig.OcrMode.OFF);
    try (TikaExtractor x = new TikaExtractor(cfg)) {
      for (Path f : files) {
        ExtractedDocument d = x.extract(f, dir.relativize(f).toString());
        if (d.status() == ExtractionStatus.OK) texts.add(d.text());
      }
    }
    double extractMs = (System.nanoTime() - t0) / 1e6;
    long chars = texts.stream().mapToLong(String::length).sum();
    long sink = 0;
    for (String t : texts) sink += LexicalSketch.of(t).shingles(); // warm-up
    long t1 = System.nanoTime();
    for (int r = 0; r < reps; r++) for (String t : texts) sink += LexicalSketch.of(t).shingles();
    double sketchMs = (System.nanoTime() - t1) / 1e6 / reps;
    System.out.printf(Locale.ROOT, "docs=%d chars=%d extract_ms_per_doc=%.2f sketch_ms_per_doc=%.3f sketch_mb_per_s=%.1f "
            + "sketch_vs_extract=%.3f (checksum %d)%n", texts.size(), chars, extractMs / files.size(),
        sketchMs / texts.size(), chars / 1e6 / (sketchMs / 1e3), sketchMs / extractMs, sink);
  }
}
