package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.DefaultParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.ParserDecorator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.ContentHandler;

/** Per-file time limit, recovery after a stuck parse, and concurrent use of one extractor. */
class TimeoutTest {

    @TempDir
    Path tmp;

    @Test
    void tinyTimeoutOnLargePdfThenNextFileIsFine() {
        try (TikaExtractor ex = new TikaExtractor(ExtractorConfig.defaults())) {
            ExtractedDocument slow = ex.extract(TestFiles.tika("testJournalParser.pdf"), "journal.pdf", 5);
            assertEquals(ExtractionStatus.TIMEOUT, slow.status(), slow.statusDetail());
            assertEquals("", slow.text());
            assertTrue(slow.statusDetail().contains("5 ms"), slow.statusDetail());
            assertTrue(slow.sha256() != null, "sha256 is known before parsing");

            ExtractedDocument next = ex.extract(TestFiles.tika("testPDF.pdf"), "testPDF.pdf");
            assertEquals(ExtractionStatus.OK, next.status(), next.statusDetail());
            assertTrue(next.text().contains("Apache Tika is a toolkit"));
            assertEquals(1, ex.timeoutCount());
        }
    }

    /** Spins on files named spin.txt, ignoring interrupts, until released (or 20 s pass). */
    static final class SpinningParser extends ParserDecorator {
        static volatile boolean release;

        SpinningParser() {
            super(new DefaultParser());
        }

        @Override
        public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context)
                throws IOException, org.xml.sax.SAXException, org.apache.tika.exception.TikaException {
            if ("spin.txt".equals(metadata.get(TikaCoreProperties.RESOURCE_NAME_KEY))) {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!release && System.nanoTime() < end) {
                    Thread.onSpinWait(); // deliberately ignores interruption, like a parser stuck in a loop
                }
            }
            super.parse(stream, handler, metadata, context);
        }
    }

    @Test
    void stuckParserDoesNotBlockTheNextFile() throws Exception {
        Path spin = tmp.resolve("spin.txt");
        Files.writeString(spin, "never finishes");
        SpinningParser.release = false;
        try (TikaExtractor ex = new TikaExtractor(ExtractorConfig.defaults().withTimeoutMillis(300)
                .withIsolation(ExtractorConfig.Isolation.THREAD),
                new AutoDetectParser(new SpinningParser()))) {
            long t0 = System.nanoTime();
            ExtractedDocument d = ex.extract(spin, "spin.txt");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(ExtractionStatus.TIMEOUT, d.status());
            assertEquals("text/plain", d.mediaType());
            assertTrue(ms < 3_000, "returned after " + ms + " ms");
            assertEquals(1, ex.abandonedWorkers(), "the stuck worker is still running");

            // the stuck thread is still spinning: the next file gets a fresh worker
            ExtractedDocument next = ex.extract(TestFiles.tika("testTXT.txt"), "testTXT.txt");
            assertEquals(ExtractionStatus.OK, next.status(), next.statusDetail());
            assertTrue(next.text().contains("Test d'indexation de Txt"));
            assertEquals(1, ex.abandonedWorkers());

            SpinningParser.release = true;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ex.abandonedWorkers() > 0 && System.nanoTime() < until) Thread.sleep(10);
            assertEquals(0, ex.abandonedWorkers(), "the abandoned worker finished once released");
        } finally {
            SpinningParser.release = true;
        }
    }

    @Test
    void oneExtractorSharedByConcurrentCallers() throws Exception {
        String[] names = {"testPDF.pdf", "testWORD.docx", "testEXCEL.xlsx", "testPPT.pptx", "testRTF.rtf",
                "testEPUB.epub", "testHTML.html", "testWORD.doc", "derived/empty.pdf", "testUnicodePassword.pdf"};
        try (TikaExtractor ex = new TikaExtractor(ExtractorConfig.defaults())) {
            List<ExtractedDocument> sequential = new ArrayList<>();
            for (String n : names) sequential.add(ex.extract(TestFiles.tika(n), n));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<ExtractedDocument>> fs = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (String n : names) fs.add(pool.submit(() -> ex.extract(TestFiles.tika(n), n)));
                }
                for (int i = 0; i < fs.size(); i++) {
                    assertEquals(sequential.get(i % names.length), fs.get(i).get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
