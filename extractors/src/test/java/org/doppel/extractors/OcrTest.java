package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OCR with Tesseract: the scanned_image_pdf variants of neardup-small (pages 1-3 of a document rendered to images at
 * 100 dpi, no text layer) must give text whose words are those of the original document. Skipped where the
 * {@code tesseract} binary is not on the PATH.
 */
class OcrTest {

    /**
     * Share of OCR words (3+ letters) that are words of the source. Measured 2026-11-23, Tesseract 5.3.0 (eng):
     * 0.992-0.995 at 150, 200 and 300 dpi.
     */
    static final double MIN_WORD_PRECISION = 0.95;
    /** Share of the distinct words of the source's first words (as many as OCR gave) that OCR found; measured 0.997-1.000. */
    static final double MIN_PREFIX_RECALL = 0.95;
    static final Pattern WORD = Pattern.compile("[\\p{L}]{3,}");

    @BeforeAll
    static void needTesseract() {
        Assumptions.assumeTrue(tesseractInstalled(),
                "tesseract not on PATH: OCR tests skipped (Debian: apt-get install tesseract-ocr tesseract-ocr-eng)");
    }

    static boolean tesseractInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "tesseract"))) return true;
        }
        return false;
    }

    record Scan(String file, String source, int pages) {}

    /** Scans listed in neardup-small/manifest.csv with the "original" member of the same cluster. */
    static List<Scan> scans() throws IOException {
        Path manifest = TestFiles.corpora().resolve("neardup-small").resolve("manifest.csv");
        List<String[]> rows = new ArrayList<>();
        Pattern csv = Pattern.compile("\"([^\"]*)\"|([^,]*)");
        for (String line : Files.readAllLines(manifest).subList(1, Files.readAllLines(manifest).size())) {
            List<String> f = new ArrayList<>();
            Matcher m = csv.matcher(line);
            int pos = 0;
            while (pos <= line.length() && m.find(pos)) {
                f.add(m.group(1) != null ? m.group(1) : m.group(2));
                pos = m.end() + 1;
            }
            rows.add(f.toArray(new String[0]));
        }
        Map<String, String> original = new HashMap<>();
        for (String[] r : rows) if ("original".equals(r[3])) original.put(r[1], r[0]);
        List<Scan> out = new ArrayList<>();
        Pattern pages = Pattern.compile("pages=(\\d+)-(\\d+)");
        for (String[] r : rows) {
            if (!r[3].startsWith("scanned_image_pdf")) continue;
            Matcher pm = pages.matcher(r[3]);
            int n = pm.find() ? Integer.parseInt(pm.group(2)) - Integer.parseInt(pm.group(1)) + 1 : 1;
            out.add(new Scan(r[0], original.get(r[1]), n));
        }
        return out;
    }

    static List<String> words(String text) {
        List<String> w = new ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) w.add(m.group());
        return w;
    }

    @Test
    void scannedPdfsGiveTheSourceText() throws IOException {
        List<Scan> scans = scans();
        assertEquals(3, scans.size(), "neardup-small has 3 scanned_image_pdf variants");
        try (TikaExtractor ex = new TikaExtractor(ExtractorConfig.defaults()); // process isolation, ocr=auto
             TikaExtractor noOcr = new TikaExtractor(ExtractorConfig.defaults()
                     .withIsolation(ExtractorConfig.Isolation.THREAD).withOcr(ExtractorConfig.OcrMode.OFF))) {
            ex.extract(TestFiles.tika("testTXT.txt"), "warm-up"); // start the child outside the timing
            for (Scan s : scans) {
                Path pdf = TestFiles.neardup(s.file());
                assertEquals(ExtractionStatus.EMPTY, noOcr.extract(pdf, s.file()).status(), "no text layer: " + s);
                long t0 = System.nanoTime();
                ExtractedDocument d = ex.extract(pdf, s.file());
                double sec = (System.nanoTime() - t0) / 1e9;
                assertEquals(ExtractionStatus.OK, d.status(), s + ": " + d.statusDetail());
                ExtractedDocument src = noOcr.extract(TestFiles.neardup(s.source()), s.source());
                assertEquals(ExtractionStatus.OK, src.status(), src.statusDetail());

                List<String> ocr = words(d.text());
                List<String> srcWords = words(src.text());
                Set<String> srcSet = new HashSet<>(srcWords);
                long found = ocr.stream().filter(srcSet::contains).count();
                double precision = ocr.isEmpty() ? 0 : (double) found / ocr.size();
                // the scan covers the first pages only: compare with the same number of source words
                Set<String> prefix = new HashSet<>(srcWords.subList(0, Math.min(srcWords.size(), ocr.size())));
                Set<String> ocrSet = new HashSet<>(ocr);
                long hit = prefix.stream().filter(ocrSet::contains).count();
                double recall = prefix.isEmpty() ? 0 : (double) hit / prefix.size();
                System.out.printf(Locale.ROOT,
                        "OCR %s: %d pages, %.1f s (%.2f s/page), %d words, word precision %.3f, prefix recall %.3f%n",
                        s.file(), s.pages(), sec, sec / s.pages(), ocr.size(), precision, recall);
                assertFalse(ocr.size() < 100, "too few OCR words: " + ocr.size());
                assertTrue(precision >= MIN_WORD_PRECISION, s + " word precision " + precision);
                assertTrue(recall >= MIN_PREFIX_RECALL, s + " prefix recall " + recall);
            }
        }
    }

    @Test
    void tikaScanAndImageGetText() {
        try (TikaExtractor ex = new TikaExtractor(ExtractorConfig.defaults().withIsolation(ExtractorConfig.Isolation.THREAD))) {
            ExtractedDocument d = ex.extract(TestFiles.tika("testOCR.pdf"), "testOCR.pdf");
            assertEquals(ExtractionStatus.OK, d.status(), d.statusDetail());
            assertTrue(d.text().toLowerCase(Locale.ROOT).contains("happy new year"), d.text());
        }
    }
}
