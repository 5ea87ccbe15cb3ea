package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every status other than timeout (see {@link TimeoutTest}) from real or crafted inputs. */
class StatusTest {

    private static TikaExtractor ex;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        // statuses do not depend on OCR (OcrTest covers it); with OCR, truncated PDFs render and OCR blank pages
        ex = new TikaExtractor(ExtractorConfig.defaults().withOcr(ExtractorConfig.OcrMode.OFF));
    }

    @AfterAll
    static void stop() {
        ex.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"testUnicodePassword.pdf", "testPassword4Spaces.pdf", "protected_normal_case.docx",
            "testEXCEL_protected_passtika.xlsx", "testWORD_protected_passtika.doc", "password.xls",
            "testODTEncrypted.odt", "test7Z_protected_passTika.7z"})
    void encrypted(String name) {
        ExtractedDocument d = ex.extract(TestFiles.tika(name), name);
        assertEquals(ExtractionStatus.ENCRYPTED, d.status(), d.statusDetail());
        assertEquals("", d.text());
        assertNotNull(d.sha256());
        assertTrue(d.statusDetail().startsWith("encrypted"), d.statusDetail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"derived/empty.pdf", "derived/empty.docx", "derived/empty.txt"})
    void zeroByteIsEmpty(String name) {
        ExtractedDocument d = ex.extract(TestFiles.tika(name), name);
        assertEquals(ExtractionStatus.EMPTY, d.status());
        assertEquals("zero-byte file", d.statusDetail());
        assertEquals(0, d.sizeBytes());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", d.sha256());
    }

    @Test
    void whitespaceOnlyIsEmpty() throws IOException {
        Path f = tmp.resolve("blank.txt");
        Files.writeString(f, "  \t\r\n\n   \u00a0\n\t \n", StandardCharsets.UTF_8);
        ExtractedDocument d = ex.extract(f, "blank.txt");
        assertEquals(ExtractionStatus.EMPTY, d.status());
        assertTrue(d.statusDetail().startsWith("no text extracted"), d.statusDetail());
        assertEquals("", d.text());
    }

    @Test
    void scannedPdfWithoutTextLayerIsEmptyWithoutOcr() {
        try (TikaExtractor noOcr = new TikaExtractor(ExtractorConfig.defaults().withOcr(ExtractorConfig.OcrMode.OFF))) {
            ExtractedDocument d = noOcr.extract(TestFiles.tika("testOCR.pdf"), "scan");
            assertEquals(ExtractionStatus.EMPTY, d.status());
            assertEquals("application/pdf", d.mediaType());
        }
    }

    @Test
    void fileAboveMaxBytesIsTooLargeWithoutParsing() throws Exception {
        Path f = TestFiles.tika("testPDF.pdf");
        try (TikaExtractor small = new TikaExtractor(ExtractorConfig.defaults().withMaxFileBytes(1000))) {
            ExtractedDocument d = small.extract(f, "big.pdf");
            assertEquals(ExtractionStatus.TOO_LARGE, d.status());
            assertEquals(Files.size(f), d.sizeBytes());
            assertEquals(FormatsTest.sha256(f), d.sha256(), "sha256 is still computed by streaming");
            assertEquals("application/pdf", d.mediaType(), "media type from the file name");
            assertTrue(d.statusDetail().contains("limit 1000"), d.statusDetail());
            assertEquals("", d.text());
        }
    }

    @Test
    void textAboveMaxCharsIsTooLarge() {
        try (TikaExtractor small = new TikaExtractor(ExtractorConfig.defaults().withMaxChars(100))) {
            ExtractedDocument d = small.extract(TestFiles.tika("testPDF.pdf"), "p");
            assertEquals(ExtractionStatus.TOO_LARGE, d.status());
            assertEquals("text exceeds 100 chars", d.statusDetail());
            assertEquals("", d.text());
            // an archive's entries are documents of their own, each with its own limit
            ExtractedDocument z = small.extract(TestFiles.tika("test-documents.zip"), "z");
            assertEquals(ExtractionStatus.EMPTY, z.status(), z.statusDetail());
            assertEquals(ExtractionStatus.TOO_LARGE, z.embedded().stream()
                    .filter(e -> e.path().equals("z!/testEXCEL.xls")).findFirst().orElseThrow().status());
            assertEquals(ExtractionStatus.OK, z.embedded().stream()
                    .filter(e -> e.path().equals("z!/testTXT.txt")).findFirst().orElseThrow().status());
        }
        // text parsed in place counts too: an archive that is not split is over the limit as a whole
        try (TikaExtractor flat = new TikaExtractor(ExtractorConfig.defaults().withMaxChars(100).withMaxDepth(0))) {
            ExtractedDocument z = flat.extract(TestFiles.tika("test-documents.zip"), "z");
            assertEquals(ExtractionStatus.TOO_LARGE, z.status(), z.statusDetail());
            assertTrue(z.embedded().isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"derived/truncated_60pct_testWORD_various.docx", "derived/truncated_50pct_testEXCEL.xlsx",
            "derived/truncated_30pct_testPPT.pptx", "derived/truncated_50pct_testWORD.doc",
            "derived/truncated_50pct_testOpenOffice2.odt", "derived/truncated_50pct_testMSG.msg",
            "derived/bitflipped_testWORD_various.docx", "testWORD_truncated.docx", "undeclared_entity.xml"})
    void corrupt(String name) {
        ExtractedDocument d = ex.extract(TestFiles.tika(name), name);
        assertEquals(ExtractionStatus.CORRUPT, d.status(), d.statusDetail());
        assertTrue(!d.statusDetail().isBlank());
        assertTrue(!d.statusDetail().contains("\n"));
        assertNotNull(d.sha256());
    }

    @ParameterizedTest
    @ValueSource(strings = {"derived/truncated_50pct_testJournalParser.pdf", "derived/zeroed_block_testJournalParser.pdf",
            "derived/truncated_50pct_testEPUB.epub", "derived/truncated_50pct_testRTFVarious.rtf"})
    void damagedButRecoverableFilesGivePartialText(String name) {
        // PDFBox, the EPUB and the RTF parser recover what they can from these: Tika reports no error.
        ExtractedDocument d = ex.extract(TestFiles.tika(name), name);
        assertEquals(ExtractionStatus.OK, d.status(), d.statusDetail());
    }

    @Test
    void brokenSymlinkIsError() throws IOException {
        Path link = tmp.resolve("dangling.pdf");
        Files.createSymbolicLink(link, tmp.resolve("does-not-exist.pdf"));
        ExtractedDocument d = ex.extract(link, "dangling.pdf");
        assertEquals(ExtractionStatus.ERROR, d.status());
        assertEquals("broken symbolic link", d.statusDetail());
        assertNull(d.sha256());
        assertEquals("", d.text());
    }

    @Test
    void missingFileIsError() {
        ExtractedDocument d = ex.extract(tmp.resolve("nope.txt"), "nope.txt");
        assertEquals(ExtractionStatus.ERROR, d.status());
        assertEquals("file not found", d.statusDetail());
    }

    @Test
    void directoryIsError() {
        ExtractedDocument d = ex.extract(tmp, "dir");
        assertEquals(ExtractionStatus.ERROR, d.status());
        assertEquals("is a directory", d.statusDetail());
        assertNull(d.sha256());
    }

    @Test
    void nullPathIsErrorNotException() {
        ExtractedDocument d = ex.extract(null, "x");
        assertEquals(ExtractionStatus.ERROR, d.status());
    }

    @Test
    void randomBinaryBlobIsUnsupported() throws IOException {
        byte[] blob = new byte[64 * 1024];
        new Random(42).nextBytes(blob);
        Path f = tmp.resolve("blob.bin");
        Files.write(f, blob);
        ExtractedDocument d = ex.extract(f, "blob.bin");
        assertEquals(ExtractionStatus.UNSUPPORTED, d.status(), d.statusDetail());
        assertEquals("application/octet-stream", d.mediaType());
        assertNotNull(d.sha256());
    }

    @ParameterizedTest
    @ValueSource(strings = {"testWordPerfect.wpd", "testOneNote.one", "testEXCEL.strict.xlsx"})
    void knownUnsupportedFormats(String name) {
        ExtractedDocument d = ex.extract(TestFiles.tika(name), name);
        assertEquals(ExtractionStatus.UNSUPPORTED, d.status(), d.statusDetail());
    }

    @Test
    void closedExtractorReturnsError() {
        TikaExtractor e = new TikaExtractor(ExtractorConfig.defaults());
        e.close();
        ExtractedDocument d = e.extract(TestFiles.tika("testTXT.txt"), "t");
        assertEquals(ExtractionStatus.ERROR, d.status());
    }

    @Test
    void labels() {
        assertEquals("too_large", ExtractionStatus.TOO_LARGE.label());
        assertEquals("ok", ExtractionStatus.OK.label());
        for (ExtractionStatus s : ExtractionStatus.values()) assertEquals(s, ExtractionStatus.fromLabel(s.label()));
        ExtractorConfig c = ExtractorConfig.defaults();
        assertEquals(100L * 1024 * 1024, c.maxFileBytes());
        assertEquals(120_000L, c.timeoutMillis());
        assertEquals(20_000_000, c.maxChars());
    }
}
