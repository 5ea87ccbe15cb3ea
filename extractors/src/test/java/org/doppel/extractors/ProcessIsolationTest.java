package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** isolation=process: stuck, memory-hungry and crashing parsers in child JVMs; one pool shared by concurrent callers. */
class ProcessIsolationTest {

    private static final List<String> HOSTILE = List.of("-Ddoppel.extractor.parser=" + HostileParser.class.getName());

    @TempDir
    Path tmp;

    private Path spin, hog, crash;

    @BeforeEach
    void files() throws IOException {
        spin = Files.writeString(tmp.resolve("spin.txt"), "never finishes");
        hog = Files.writeString(tmp.resolve("hog.txt"), "eats the heap");
        crash = Files.writeString(tmp.resolve("crash.txt"), "kills the JVM");
    }

    private static ExtractorConfig cfg(long timeoutMs) {
        return ExtractorConfig.defaults().withTimeoutMillis(timeoutMs).withIsolation(ExtractorConfig.Isolation.PROCESS)
                .withWorkerProcesses(2).withWorkerHeapMb(128).withOcr(ExtractorConfig.OcrMode.OFF);
    }

    private static void assertTxtOk(TikaExtractor ex) {
        ExtractedDocument next = ex.extract(TestFiles.tika("testTXT.txt"), "testTXT.txt");
        assertEquals(ExtractionStatus.OK, next.status(), next.statusDetail());
        assertTrue(next.text().contains("Test d'indexation de Txt"));
    }

    @Test
    void hangingParserIsKilledAtTheLimitAndTheNextFileIsFine() {
        long limit = 2_000;
        try (TikaExtractor ex = new TikaExtractor(cfg(limit), null, HOSTILE)) {
            assertTxtOk(ex); // warm: the child is started
            long t0 = System.nanoTime();
            ExtractedDocument d = ex.extract(spin, "spin.txt");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("hanging parser: timeout after %d ms (limit %d ms)%n", ms, limit);
            assertEquals(ExtractionStatus.TIMEOUT, d.status(), d.statusDetail());
            assertEquals("text/plain", d.mediaType(), "detected type reported by the child before parsing");
            assertTrue(d.statusDetail().contains("2000 ms"), d.statusDetail());
            assertTrue(ms >= limit - 50 && ms < limit + 1_000, "returned after " + ms + " ms");
            assertEquals(1, ex.workerProcessesKilled());
            assertEquals(0, ex.abandonedWorkers(), "nothing keeps running in this JVM");
            assertTxtOk(ex); // a fresh child
            assertEquals(2, ex.workerProcessesStarted());
        }
    }

    @Test
    void outOfMemoryInTheChildIsTooLarge() {
        try (TikaExtractor ex = new TikaExtractor(cfg(60_000), null, HOSTILE)) {
            ExtractedDocument d = ex.extract(hog, "hog.txt");
            assertEquals(ExtractionStatus.TOO_LARGE, d.status(), d.statusDetail());
            assertEquals("out of memory while parsing (worker heap 128 MiB)", d.statusDetail());
            assertTrue(d.sha256() != null);
            assertTxtOk(ex);
        }
    }

    @Test
    void crashedChildIsErrorAndReplaced() {
        try (TikaExtractor ex = new TikaExtractor(cfg(60_000), null, HOSTILE)) {
            ExtractedDocument d = ex.extract(crash, "crash.txt");
            assertEquals(ExtractionStatus.ERROR, d.status(), d.statusDetail());
            assertTrue(d.statusDetail().startsWith("worker process died (exit code 42)"), d.statusDetail());
            assertTxtOk(ex);
        }
    }

    @Test
    void poolSharedByConcurrentCallersMatchesThreadMode() throws Exception {
        String[] names = {"testPDF.pdf", "testWORD.docx", "testEXCEL.xlsx", "testPPT.pptx", "testRTF.rtf",
                "testEPUB.epub", "testHTML.html", "testWORD.doc", "derived/empty.pdf", "testUnicodePassword.pdf",
                "testWordPerfect.wpd", "derived/truncated_50pct_testWORD.doc"};
        List<ExtractedDocument> expected = new ArrayList<>();
        try (TikaExtractor th = new TikaExtractor(cfg(60_000).withIsolation(ExtractorConfig.Isolation.THREAD))) {
            for (String n : names) expected.add(th.extract(TestFiles.tika(n), n));
        }
        try (TikaExtractor ex = new TikaExtractor(cfg(3_000), null, HOSTILE)) {
            ExecutorService callers = Executors.newFixedThreadPool(3); // more callers than child processes
            try {
                List<Future<ExtractedDocument>> fs = new ArrayList<>();
                Future<ExtractedDocument> stuck = callers.submit(() -> ex.extract(spin, "spin.txt"));
                for (int round = 0; round < 2; round++) {
                    for (String n : names) fs.add(callers.submit(() -> ex.extract(TestFiles.tika(n), n)));
                }
                for (int i = 0; i < fs.size(); i++) {
                    assertEquals(expected.get(i % names.length), fs.get(i).get(120, TimeUnit.SECONDS), names[i % names.length]);
                }
                assertEquals(ExtractionStatus.TIMEOUT, stuck.get(60, TimeUnit.SECONDS).status());
            } finally {
                callers.shutdownNow();
            }
            assertTrue(ex.workerProcessesStarted() <= 3, "2 slots + 1 replacement: " + ex.workerProcessesStarted());
        }
    }

    @Test
    void closeStopsTheChildren() {
        TikaExtractor ex = new TikaExtractor(cfg(10_000), null, HOSTILE);
        assertTxtOk(ex);
        ex.close();
        ExtractedDocument d = ex.extract(TestFiles.tika("testTXT.txt"), "t");
        assertEquals(ExtractionStatus.ERROR, d.status());
        assertEquals("extractor is closed", d.statusDetail());
    }

    @Test
    void childIsReplacedAfterItsQuotaOfFiles() {
        System.setProperty(WorkerPool.FILES_PER_WORKER_PROPERTY, "2");
        try (TikaExtractor ex = new TikaExtractor(cfg(60_000).withWorkerProcesses(1), null, HOSTILE)) {
            for (int i = 0; i < 5; i++) assertTxtOk(ex);
            assertEquals(2, ex.workerProcessesRetired());
            assertEquals(3, ex.workerProcessesStarted());
            assertEquals(0, ex.workerProcessesKilled());
        } finally {
            System.clearProperty(WorkerPool.FILES_PER_WORKER_PROPERTY);
        }
    }

    @Test
    void childThatCannotStartGivesErrorNotException() {
        List<String> bad = List.of("-Ddoppel.extractor.parser=org.doppel.NoSuchParser");
        try (TikaExtractor ex = new TikaExtractor(cfg(10_000), null, bad)) {
            ExtractedDocument d = ex.extract(TestFiles.tika("testTXT.txt"), "t");
            assertEquals(ExtractionStatus.ERROR, d.status());
            assertTrue(d.statusDetail().startsWith("extraction worker process failed to start: doppel worker failed:"),
                    d.statusDetail());
            assertTrue(d.statusDetail().contains("NoSuchParser"), d.statusDetail());
            assertTrue(d.sha256() != null);
        }
    }
}
