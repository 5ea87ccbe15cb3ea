package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs every file of the Tika robustness set (read in place, read-only) through one extractor with a 10 s
 * timeout: every file must give a record, and the status counts are printed.
 */
class CorpusSweepTest {

    @Test
    void everyTikaTestDocumentGivesARecord() throws IOException {
        Path dir = TestFiles.tikaDocs();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("MANIFEST.tsv")
                            && !p.getFileName().toString().equals("NOTICE"))
                    .sorted().collect(Collectors.toList());
        }
        assertEquals(345, files.size(), "tika-test-documents should hold 345 documents");
        Map<ExtractionStatus, Integer> counts = new EnumMap<>(ExtractionStatus.class);
        boolean verbose = Boolean.getBoolean("doppel.sweep.verbose");
        long t0 = System.nanoTime();
        try (TikaExtractor ex = new TikaExtractor(ExtractorConfig.defaults().withTimeoutMillis(10_000))) {
            for (Path f : files) {
                String rel = dir.relativize(f).toString();
                long t1 = System.nanoTime();
                ExtractedDocument d = ex.extract(f, rel);
                long ms = (System.nanoTime() - t1) / 1_000_000;
                assertNotNull(d, rel);
                assertEquals(rel, d.path());
                assertNotNull(d.text(), rel);
                assertNotNull(d.statusDetail(), rel);
                if (d.status() != ExtractionStatus.OK) assertEquals("", d.text(), rel);
                else assertTrue(!d.text().isEmpty(), rel);
                assertEquals(Files.size(f), d.sizeBytes(), rel);
                counts.merge(d.status(), 1, Integer::sum);
                if (verbose) {
                    System.out.printf("%-60s %-11s %6d ms %-40s %s%n", rel, d.status().label(), ms,
                            d.mediaType(), d.statusDetail());
                }
            }
            System.out.printf("tika-test-documents: %d files in %d ms, abandoned workers now %d%n",
                    files.size(), (System.nanoTime() - t0) / 1_000_000, ex.abandonedWorkers());
        }
        StringBuilder sb = new StringBuilder("status counts:");
        counts.forEach((k, v) -> sb.append(' ').append(k.label()).append('=').append(v));
        System.out.println(sb);
        assertEquals(files.size(), counts.values().stream().mapToInt(Integer::intValue).sum());
    }
}
