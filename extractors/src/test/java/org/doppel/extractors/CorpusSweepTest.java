package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs every file of the Tika robustness set (read in place, read-only) through one extractor the way the Spark job
 * does: process isolation (1 GiB child heap), 2 concurrent callers sharing it, 30 s per file (10 s let testPDF_childAttachments.pdf time out now
 * and then with 2 callers on 2 cores). Every file must give exactly one
 * record, the entries and attachments of its containers one record each below it (unique paths, container first),
 * every file whose MANIFEST.tsv note says encrypted / empty / truncated / bomb-like must get the status
 * below, and the run must finish within {@link #WALL_LIMIT_MS}. Prints the status counts, wall time and the peak RSS
 * of the child JVMs. {@code -Ddoppel.sweep.ocr=auto|on|off} (default off: OCR has its own test),
 * {@code -Ddoppel.sweep.verbose=true} prints one line per file.
 */
class CorpusSweepTest {

    /** Asserted bound for the whole run (measured 15 s on 2 cores with OCR off, 43 s with OCR auto). */
    static final long WALL_LIMIT_MS = 90_000;

    /** Notes in MANIFEST.tsv that this test must account for. */
    static final Pattern NOTED = Pattern.compile("(?i)encrypt|password|drm|protected|empty|zero|truncat|oom|bomb|irm");

    /** Expected status of every noted file, with why where it differs from the note. */
    static final Map<String, String> EXPECTED = new TreeMap<>();

    static {
        String[][] rows = {
                // PDFs: owner password only -> opens with the empty user password
                {"testPDF_protected.pdf", "ok"},
                {"testPDF_no_extract_no_accessibility_owner_empty.pdf", "ok"},
                {"testMicrosoftIRMServices.pdf", "ok"}, // the IRM wrapper page has text
                {"testUnicodePassword.pdf", "encrypted"},
                {"testPassword4Spaces.pdf", "encrypted"},
                {"testPDF_no_extract_no_accessibility_owner_user.pdf", "encrypted"},
                {"testPDF_no_extract_yes_accessibility_owner_user.pdf", "encrypted"},
                {"testWORD_protected_passtika.doc", "encrypted"},
                {"testWORD_protected_passtika.docx", "encrypted"},
                {"protected_normal_case.docx", "encrypted"},
                {"testWORD_protected_drm.doc", "encrypted"},
                {"testODTEncrypted.odt", "encrypted"},
                {"password.xls", "encrypted"},
                {"protect.xlsx", "ok"}, // Excel's default password (VelvetSweatshop): POI decrypts it
                {"testEXCEL_protected_passtika.xls", "encrypted"},
                {"testEXCEL_protected_passtika.xlsx", "encrypted"},
                {"testPPT_protected_passtika.ppt", "encrypted"},
                {"testPPT_protected_passtika.pptx", "encrypted"},
                {"testRFC822_encrypted_zip", "ok"}, // the mail body is readable; the attachment is not
                {"testZipEncrypted.zip", "empty"}, // an archive: its plain entry is a document; detail counts the encrypted one
                {"test7Z_protected_passTika.7z", "encrypted"},
                {"full_encrypted.7z", "encrypted"},
                {"testPagesPwdProtected.pages", "empty"}, // Tika sees only the zip's preview-less shell
                {"testPGPEncrypted.gpg", "encrypted"},
                // bomb-like inputs that Tika refuses before they explode
                {"testZIP_corrupted_oom.zip", "corrupt"},
                {"testLZMA_oom", "corrupt"},
                {"testZ_oom.Z", "corrupt"},
                {"empty-file.txt.bz2", "empty"},
                {"testMP3truncated.mp3", "ok"}, // ID3 text
                {"derived/empty.pdf", "empty"},
                {"derived/empty.docx", "empty"},
                {"derived/empty.txt", "empty"},
                {"derived/empty.html", "empty"},
                {"derived/empty.eml", "empty"},
                {"derived/empty.xlsx", "empty"},
                // truncated / damaged: PDFBox, EPUB and RTF recover partial text; zip/OLE2 based formats do not
                {"testWORD_truncated.docx", "corrupt"},
                {"derived/truncated_50pct_testJournalParser.pdf", "ok"},
                {"derived/truncated_60pct_testWORD_various.docx", "corrupt"},
                {"derived/truncated_50pct_testEXCEL.xlsx", "corrupt"},
                {"derived/truncated_30pct_testPPT.pptx", "corrupt"},
                {"derived/truncated_50pct_testWORD.doc", "corrupt"},
                {"derived/truncated_50pct_testOpenOffice2.odt", "corrupt"},
                {"derived/truncated_50pct_testEPUB.epub", "ok"},
                {"derived/truncated_50pct_testMSG.msg", "corrupt"},
                {"derived/truncated_50pct_testRTFVarious.rtf", "ok"},
                {"derived/zeroed_block_testJournalParser.pdf", "ok"},
        };
        for (String[] r : rows) EXPECTED.put(r[0], r[1]);
    }

    @Test
    void everyTikaTestDocumentGivesARecord() throws Exception {
        Path dir = TestFiles.tikaDocs();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("MANIFEST.tsv")
                            && !p.getFileName().toString().equals("NOTICE"))
                    .sorted().collect(Collectors.toList());
        }
        assertEquals(345, files.size(), "tika-test-documents should hold 345 documents");
        Map<String, String> notes = notes(dir.resolve("MANIFEST.tsv"));
        ExtractorConfig.OcrMode ocr = ExtractorConfig.OcrMode.fromLabel(System.getProperty("doppel.sweep.ocr", "off"));
        ExtractorConfig cfg = ExtractorConfig.defaults().withTimeoutMillis(30_000)
                .withIsolation(ExtractorConfig.Isolation.PROCESS).withWorkerHeapMb(1024).withWorkerProcesses(2)
                .withOcr(ocr);
        boolean verbose = Boolean.getBoolean("doppel.sweep.verbose");
        Map<String, ExtractedDocument> docs = new ConcurrentHashMap<>();
        Map<String, Long> millis = new ConcurrentHashMap<>();
        RssSampler rss = new RssSampler();
        long t0 = System.nanoTime();
        long wall;
        try (TikaExtractor ex = new TikaExtractor(cfg)) {
            rss.start();
            ExecutorService callers = Executors.newFixedThreadPool(2); // like the job's 2 task threads
            try {
                List<Future<?>> fs = new ArrayList<>();
                for (Path f : files) {
                    String rel = dir.relativize(f).toString();
                    fs.add(callers.submit(() -> {
                        long t1 = System.nanoTime();
                        docs.put(rel, ex.extract(f, rel));
                        millis.put(rel, (System.nanoTime() - t1) / 1_000_000);
                    }));
                }
                for (Future<?> f : fs) f.get(10, TimeUnit.MINUTES);
            } finally {
                callers.shutdownNow();
            }
            wall = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf(Locale.ROOT, "tika-test-documents: %d files in %d ms (ocr=%s, 2 callers, 2 worker "
                            + "processes, 1 GiB heap each); worker processes started %d, killed %d; peak child RSS %d MiB, "
                            + "peak test JVM RSS %d MiB%n", files.size(), wall, ocr.label(), ex.workerProcessesStarted(),
                    ex.workerProcessesKilled(), rss.stop() >> 20, RssSampler.hwm(ProcessHandle.current().pid()) >> 20);
        }
        Map<ExtractionStatus, Integer> counts = new EnumMap<>(ExtractionStatus.class);
        Map<ExtractionStatus, Integer> embeddedCounts = new EnumMap<>(ExtractionStatus.class);
        List<String> wrong = new ArrayList<>();
        java.util.Set<String> paths = new java.util.HashSet<>();
        int embedded = 0;
        for (Path f : files) {
            String rel = dir.relativize(f).toString();
            ExtractedDocument d = docs.get(rel);
            assertNotNull(d, rel);
            assertEquals(rel, d.path());
            assertTrue(d.parent() == null, rel);
            assertTrue(paths.add(rel), "one record per input path: " + rel);
            assertEquals(Files.size(f), d.sizeBytes(), rel);
            counts.merge(d.status(), 1, Integer::sum);
            // embedded documents: unique paths below their container, whose record exists; text only when ok
            for (ExtractedDocument e : d.allDocuments()) {
                assertNotNull(e.statusDetail(), e.path());
                if (e.status() != ExtractionStatus.OK) assertEquals("", e.text(), e.path());
                else assertTrue(!e.text().isEmpty(), e.path());
                if (e == d) continue;
                embedded++;
                embeddedCounts.merge(e.status(), 1, Integer::sum);
                assertTrue(e.path().startsWith(e.parent() + "!/"), e.path());
                assertTrue(paths.contains(e.parent()), "container of " + e.path() + " comes first");
                assertTrue(paths.add(e.path()), "one record per embedded path: " + e.path());
                assertTrue(e.embedded().isEmpty(), e.path());
            }
            if (verbose) {
                for (ExtractedDocument e : d.allDocuments()) {
                    System.out.printf("%-60s %-11s %6s %-40s %s%n", e.path(), e.status().label(),
                            e == d ? millis.get(rel) + " ms" : "", e.mediaType(), e.statusDetail());
                }
            }
            String note = notes.get(rel);
            if (note != null && NOTED.matcher(note).find()) {
                String want = EXPECTED.get(rel);
                if (want == null) wrong.add(rel + ": noted '" + note + "' but not in EXPECTED");
                else if (!want.equals(d.status().label())
                        && !(ocr != ExtractorConfig.OcrMode.OFF && d.status() == ExtractionStatus.TIMEOUT)) {
                    wrong.add(rel + ": " + d.status().label() + " (" + d.statusDetail() + "), expected " + want
                            + " [note: " + note + "]");
                }
            }
        }
        StringBuilder eb = new StringBuilder("embedded documents: " + embedded + ", status counts:");
        embeddedCounts.forEach((k, v) -> eb.append(' ').append(k.label()).append('=').append(v));
        System.out.println(eb);
        assertTrue(embedded >= 150, "archives and mails of the set give their entries and attachments: " + embedded);
        StringBuilder sb = new StringBuilder("status counts:");
        counts.forEach((k, v) -> sb.append(' ').append(k.label()).append('=').append(v));
        System.out.println(sb);
        assertEquals(files.size(), counts.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(files.size() + embedded, paths.size());
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(EXPECTED.size(), EXPECTED.keySet().stream().filter(notes::containsKey).count(),
                "every expected file is in the manifest");
        if (ocr == ExtractorConfig.OcrMode.OFF) {
            assertEquals(0, counts.getOrDefault(ExtractionStatus.TIMEOUT, 0), "no timeouts without OCR");
            assertTrue(wall < WALL_LIMIT_MS, "sweep took " + wall + " ms, limit " + WALL_LIMIT_MS);
        }
    }

    static Map<String, String> notes(Path manifest) throws IOException {
        Map<String, String> m = new TreeMap<>();
        List<String> lines = Files.readAllLines(manifest);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f.length >= 6) m.put(f[0], f[5]);
        }
        return m;
    }

    /** Samples the peak resident set (VmHWM) of this JVM's child processes. */
    static final class RssSampler {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean run = true;
        private Thread t;

        void start() {
            t = new Thread(() -> {
                while (run) {
                    ProcessHandle.current().descendants()
                            .forEach(p -> peak.accumulateAndGet(hwm(p.pid()), Math::max));
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            t.setDaemon(true);
            t.start();
        }

        long stop() throws InterruptedException {
            run = false;
            t.join();
            return peak.get();
        }

        /** VmHWM of a process in bytes, 0 if unknown. */
        static long hwm(long pid) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("\\D", "")) * 1024;
                }
            } catch (IOException | RuntimeException e) {
                // gone or not Linux
            }
            return 0;
        }
    }
}
