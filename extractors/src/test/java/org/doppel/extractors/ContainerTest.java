package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Archive entries and e-mail attachments become documents of their own ({@code container!/entry}, {@code parent}),
 * at every level, in both isolation modes; the depth, count and byte limits stop runaway containers. Archives and
 * mails are built here (java.util.zip, commons-compress, hand-written MIME) or taken from tika-test-documents.
 */
class ContainerTest {

    static final String BODY = "Hello Bo, the quarterly numbers are attached and the draft plan is in the bundle.";
    static final String REPORT = "Revenue grew by eleven percent in the third quarter, driven by the northern stores.";
    static final String NOTES = "Meeting notes: move the warehouse inventory count to the first Monday of April.";
    static final String DEEP = "Innermost text file of the nested archive, two zips down from the mail.";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(ExtractorConfig.Isolation.class)
    void mailAttachmentsAndNestedArchiveEntriesAreDocumentsWithPathsAndParents(ExtractorConfig.Isolation isolation)
            throws IOException {
        byte[] report = REPORT.getBytes(StandardCharsets.UTF_8);
        byte[] inner = zip(Map.of("c.txt", DEEP.getBytes(StandardCharsets.UTF_8)));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("notes/a.txt", NOTES.getBytes(StandardCharsets.UTF_8));
        entries.put("inner.zip", inner);
        entries.put("empty.txt", new byte[0]);
        byte[] bundle = zip(entries);
        Path mail = Files.write(tmp.resolve("mail.eml"), mime(BODY, Map.of("report.txt", report, "bundle.zip", bundle)));

        ExtractedDocument d;
        try (TikaExtractor ex = new TikaExtractor(config(isolation))) {
            d = ex.extract(mail, "in/mail.eml");
        }
        Map<String, ExtractedDocument> byPath = byPath(d);
        assertEquals(List.of("in/mail.eml", "in/mail.eml!/bundle.zip", "in/mail.eml!/bundle.zip!/empty.txt",
                "in/mail.eml!/bundle.zip!/inner.zip", "in/mail.eml!/bundle.zip!/inner.zip!/c.txt",
                "in/mail.eml!/bundle.zip!/notes/a.txt", "in/mail.eml!/report.txt"), List.copyOf(byPath.keySet()));

        // the mail keeps its body, not its attachments' text
        assertEquals(ExtractionStatus.OK, d.status(), d.statusDetail());
        assertNull(d.parent());
        assertTrue(d.text().contains("quarterly numbers are attached"), d.text());
        assertTrue(!d.text().contains("Revenue grew") && !d.text().contains("Meeting notes"), d.text());
        assertTrue(d.statusDetail().startsWith("2 embedded document(s)"), d.statusDetail());

        ExtractedDocument r = byPath.get("in/mail.eml!/report.txt");
        assertEquals("in/mail.eml", r.parent());
        assertEquals(ExtractionStatus.OK, r.status());
        assertEquals(REPORT, r.text());
        assertEquals(report.length, r.sizeBytes());
        assertEquals(sha256(report), r.sha256());
        assertEquals("text/plain", r.mediaType());
        assertTrue(r.embedded().isEmpty());

        // an archive has no text of its own: empty (never paired), its entries are the documents
        ExtractedDocument b = byPath.get("in/mail.eml!/bundle.zip");
        assertEquals(ExtractionStatus.EMPTY, b.status());
        assertEquals("no text of its own; 3 embedded document(s) extracted as separate records", b.statusDetail());
        assertEquals("application/zip", b.mediaType());
        assertEquals(sha256(bundle), b.sha256());
        assertEquals("in/mail.eml", b.parent());

        assertEquals(NOTES, byPath.get("in/mail.eml!/bundle.zip!/notes/a.txt").text());
        assertEquals("in/mail.eml!/bundle.zip", byPath.get("in/mail.eml!/bundle.zip!/notes/a.txt").parent());
        ExtractedDocument empty = byPath.get("in/mail.eml!/bundle.zip!/empty.txt");
        assertEquals(ExtractionStatus.EMPTY, empty.status());
        assertEquals("zero-byte file", empty.statusDetail());
        ExtractedDocument c = byPath.get("in/mail.eml!/bundle.zip!/inner.zip!/c.txt");
        assertEquals("in/mail.eml!/bundle.zip!/inner.zip", c.parent());
        assertEquals(DEEP, c.text());
        assertEquals(sha256(inner), byPath.get("in/mail.eml!/bundle.zip!/inner.zip").sha256());
        assertTrue(c.modifiedMillis() > 0, "entry time from the zip, or the input file's");
    }

    @Test
    void tarGzEntriesKeepSpacesAndUnicodeInTheirPathsAndAGzippedFileStaysOneDocument() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("Berichte/Über uns.txt", "Wir über uns: ein kleiner Verlag in Köln.".getBytes(StandardCharsets.UTF_8));
        entries.put("a b/résumé 1.txt", "Curriculum vitae of a data engineer.".getBytes(StandardCharsets.UTF_8));
        Path tgz = Files.write(tmp.resolve("Archiv März 2025.tar.gz"), gzip(tar(entries)));
        Path gz = Files.write(tmp.resolve("notes.txt.gz"), gzip(NOTES.getBytes(StandardCharsets.UTF_8)));
        try (TikaExtractor ex = new TikaExtractor(config(ExtractorConfig.Isolation.THREAD))) {
            ExtractedDocument d = ex.extract(tgz, "Archiv März 2025.tar.gz");
            Map<String, ExtractedDocument> byPath = byPath(d);
            assertEquals(List.of("Archiv März 2025.tar.gz", "Archiv März 2025.tar.gz!/Berichte/Über uns.txt",
                    "Archiv März 2025.tar.gz!/a b/résumé 1.txt"), List.copyOf(byPath.keySet()));
            assertEquals(ExtractionStatus.EMPTY, d.status(), d.statusDetail());
            assertEquals("Wir über uns: ein kleiner Verlag in Köln.",
                    byPath.get("Archiv März 2025.tar.gz!/Berichte/Über uns.txt").text());
            assertEquals("Archiv März 2025.tar.gz", byPath.get("Archiv März 2025.tar.gz!/a b/résumé 1.txt").parent());

            // a compressed single file is a wrapper, not a container
            ExtractedDocument n = ex.extract(gz, "notes.txt.gz");
            assertEquals(ExtractionStatus.OK, n.status());
            assertEquals(NOTES, n.text());
            assertTrue(n.embedded().isEmpty());
        }
    }

    @Test
    void nestedZipBombIsStoppedByTheByteBudgetKeepingWhatCameBefore() throws IOException {
        // 8 zips x 8 entries x 1 MiB of text = 64 MiB expanded from ~100 KiB; budget 4 MiB
        byte[] mib = "All work and no play makes Jack a dull boy.\n".repeat(24_000).getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> outer = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            Map<String, byte[]> inner = new LinkedHashMap<>();
            for (int j = 0; j < 8; j++) inner.put("part-" + j + ".txt", mib);
            outer.put("level-" + i + ".zip", zip(inner));
        }
        byte[] bomb = zip(outer);
        assertTrue(bomb.length < 200_000, "a compact bomb: " + bomb.length);
        Path f = Files.write(tmp.resolve("bomb.zip"), bomb);
        long budget = 4L << 20;
        ExtractorConfig cfg = config(ExtractorConfig.Isolation.PROCESS).withMaxExpandedBytes(budget)
                .withTimeoutMillis(60_000);
        ExtractedDocument d;
        try (TikaExtractor ex = new TikaExtractor(cfg)) {
            d = ex.extract(f, "bomb.zip");
        }
        assertEquals(ExtractionStatus.TOO_LARGE, d.status(), d.statusDetail());
        assertTrue(d.statusDetail().startsWith("embedded documents of one input file exceed " + budget + " bytes"),
                d.statusDetail());
        Map<String, ExtractedDocument> byPath = byPath(d);
        List<ExtractedDocument> parts = d.embedded().stream().filter(e -> e.path().endsWith(".txt")).toList();
        long okParts = parts.stream().filter(ExtractedDocument::isOk).count();
        assertTrue(okParts >= 2 && okParts <= 4, "entries read before the budget ran out: " + okParts);
        long read = d.embedded().stream().filter(e -> e.sizeBytes() > 0).mapToLong(ExtractedDocument::sizeBytes).sum();
        assertTrue(read <= budget, "bytes of kept documents " + read);
        // the container being read when the budget ran out is too_large; the entry being read says where it stopped
        ExtractedDocument first = byPath.get("bomb.zip!/level-0.zip");
        assertEquals(ExtractionStatus.TOO_LARGE, first.status(), first.statusDetail());
        assertTrue(parts.stream().anyMatch(p -> p.status() == ExtractionStatus.TOO_LARGE
                && p.statusDetail().endsWith("(reading stopped here)")), parts.toString());
        assertTrue(!byPath.containsKey("bomb.zip!/level-1.zip"), "no container after the stop: " + byPath.keySet());
    }

    @Test
    void depthAndCountLimitsMakeTheContainerTooLarge() throws IOException {
        byte[] level = zip(Map.of("deep.txt", DEEP.getBytes(StandardCharsets.UTF_8)));
        for (int i = 4; i >= 2; i--) level = zip(Map.of("l" + i + ".zip", level));
        Path nested = Files.write(tmp.resolve("l1.zip"), level); // l1 > l2 > l3 > l4 > deep.txt
        Map<String, byte[]> many = new LinkedHashMap<>();
        for (int i = 0; i < 30; i++) many.put("f" + i + ".txt", ("file number " + i).getBytes(StandardCharsets.UTF_8));
        Path wide = Files.write(tmp.resolve("wide.zip"), zip(many));
        try (TikaExtractor ex = new TikaExtractor(config(ExtractorConfig.Isolation.THREAD).withMaxEmbedded(10))) {
            ExtractedDocument d = ex.extract(nested, "l1.zip");
            Map<String, ExtractedDocument> byPath = byPath(d);
            assertEquals(List.of("l1.zip", "l1.zip!/l2.zip", "l1.zip!/l2.zip!/l3.zip", "l1.zip!/l2.zip!/l3.zip!/l4.zip"),
                    List.copyOf(byPath.keySet()));
            ExtractedDocument l4 = byPath.get("l1.zip!/l2.zip!/l3.zip!/l4.zip");
            assertEquals(ExtractionStatus.TOO_LARGE, l4.status());
            assertEquals("embedded documents nested deeper than 3 levels not extracted", l4.statusDetail());
            assertEquals(ExtractionStatus.EMPTY, d.status(), "only the container at the limit is too_large");

            ExtractedDocument w = ex.extract(wide, "wide.zip");
            assertEquals(ExtractionStatus.TOO_LARGE, w.status());
            assertEquals("more than 10 embedded documents in one input file; 10 embedded document(s) extracted as "
                    + "separate records before", w.statusDetail());
            assertEquals(10, w.embedded().size());
            assertTrue(w.embedded().stream().allMatch(ExtractedDocument::isOk));
        }
        try (TikaExtractor flat = new TikaExtractor(config(ExtractorConfig.Isolation.THREAD).withMaxDepth(0))) {
            ExtractedDocument d = flat.extract(nested, "l1.zip");
            assertTrue(d.embedded().isEmpty(), "depth 0: containers are not split");
            assertEquals(DEEP, d.text());
        }
    }

    @Test
    void realContainersFromTheTikaSet() {
        try (TikaExtractor ex = new TikaExtractor(config(ExtractorConfig.Isolation.THREAD))) {
            // a zip that contains itself: the copy is not expanded again
            ExtractedDocument droste = ex.extract(TestFiles.tika("droste.zip"), "droste.zip");
            Map<String, ExtractedDocument> byPath = byPath(droste);
            assertEquals(List.of("droste.zip", "droste.zip!/droste.jpg", "droste.zip!/droste.zip"),
                    List.copyOf(byPath.keySet()));
            ExtractedDocument self = byPath.get("droste.zip!/droste.zip");
            assertEquals(ExtractionStatus.TOO_LARGE, self.status());
            assertEquals(droste.sha256(), self.sha256());
            assertTrue(self.statusDetail().startsWith("same bytes as droste.zip"), self.statusDetail());

            // an Outlook message attached to an Outlook message arrives as an OLE2 directory: written out as bytes
            ExtractedDocument msg = ex.extract(TestFiles.tika("testMSG_att_msg.msg"), "testMSG_att_msg.msg");
            Map<String, ExtractedDocument> att = byPath(msg);
            ExtractedDocument inner = att.get("testMSG_att_msg.msg!/Test Attachment.msg");
            assertNotNull(inner, att.keySet().toString());
            assertEquals(ExtractionStatus.OK, inner.status(), inner.statusDetail());
            assertEquals("application/vnd.ms-outlook", inner.mediaType());
            assertTrue(inner.sizeBytes() > 0 && inner.sha256() != null);
            assertEquals(ExtractionStatus.OK, att.get("testMSG_att_msg.msg!/smbprn.00009008.KdcPjl.pdf").status());

            // every entry of an archive of office files; the same files in a tar, in a folder
            ExtractedDocument zip = ex.extract(TestFiles.tika("test-documents.zip"), "test-documents.zip");
            assertEquals(9, zip.embedded().size());
            assertTrue(zip.embedded().stream().allMatch(ExtractedDocument::isOk));
            ExtractedDocument tar = ex.extract(TestFiles.tika("test-documents.tar"), "test-documents.tar");
            assertEquals(9, tar.embedded().size());
            assertEquals(byPath(zip).get("test-documents.zip!/testPDF.pdf").text(),
                    byPath(tar).get("test-documents.tar!/test-documents/testPDF.pdf").text());
            assertTrue(byPath(zip).get("test-documents.zip!/testEXCEL.xls").text()
                    .contains("Sample Excel Worksheet - Numbers and their Squares"));

            // the messages of a mailbox
            ExtractedDocument mbox = ex.extract(TestFiles.tika("complex.mbox"), "complex.mbox");
            assertEquals(ExtractionStatus.EMPTY, mbox.status());
            assertTrue(mbox.embedded().size() >= 3, mbox.embedded().toString());
            assertEquals("complex.mbox!/message-1.eml", mbox.embedded().get(0).path());
            assertEquals("message/rfc822", mbox.embedded().get(0).mediaType());
        }
    }

    static ExtractorConfig config(ExtractorConfig.Isolation isolation) {
        return ExtractorConfig.defaults().withIsolation(isolation).withOcr(ExtractorConfig.OcrMode.OFF)
                .withWorkerProcesses(1).withTimeoutMillis(30_000);
    }

    static Map<String, ExtractedDocument> byPath(ExtractedDocument d) {
        Map<String, ExtractedDocument> m = d.allDocuments().stream().collect(
                Collectors.toMap(ExtractedDocument::path, x -> x, (a, b) -> { throw new AssertionError("dup " + a); },
                        LinkedHashMap::new));
        assertEquals(d.allDocuments().size(), m.size(), "paths are unique");
        return m;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return bos.toByteArray();
    }

    static byte[] tar(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bos, "UTF-8")) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                t.putArchiveEntry(te);
                t.write(e.getValue());
                t.closeArchiveEntry();
            }
        }
        return bos.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bos)) {
            g.write(b);
        }
        return bos.toByteArray();
    }

    /** A multipart/mixed mail: a plain-text body and base64 attachments (file name -> bytes). */
    static byte[] mime(String body, Map<String, byte[]> attachments) {
        StringBuilder sb = new StringBuilder();
        sb.append("From: Ana <ana@example.com>\r\nTo: Bo <bo@example.com>\r\nSubject: Quarterly numbers\r\n")
                .append("Date: Mon, 3 Mar 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/mixed; boundary=\"b0undary\"\r\n\r\n")
                .append("--b0undary\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n").append(body).append("\r\n");
        for (Map.Entry<String, byte[]> a : new java.util.TreeMap<>(attachments).entrySet()) {
            sb.append("--b0undary\r\nContent-Type: application/octet-stream; name=\"").append(a.getKey())
                    .append("\"\r\nContent-Disposition: attachment; filename=\"").append(a.getKey())
                    .append("\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                    .append(Base64.getMimeEncoder().encodeToString(a.getValue())).append("\r\n");
        }
        sb.append("--b0undary--\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] b) {
        return HexFormat.of().formatHex(TextNormalizer.newSha256().digest(b));
    }
}
