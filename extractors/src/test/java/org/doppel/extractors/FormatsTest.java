package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.security.MessageDigest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real documents of many formats extract to text containing a known phrase, with status ok. */
class FormatsTest {

    private static TikaExtractor ex;

    @BeforeAll
    static void start() {
        ex = new TikaExtractor(ExtractorConfig.defaults());
    }

    @AfterAll
    static void stop() {
        ex.close();
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource(delimiter = '|', textBlock = """
            testPDF.pdf                 | application/pdf | Apache Tika is a toolkit for detecting and extracting metadata
            testWORD.docx               | application/vnd.openxmlformats-officedocument.wordprocessingml.document | This is a sample Microsoft Word Document.
            testWORD.doc                | application/msword | This document includes text that is BOLD and ITALIC.
            testOpenOffice2.odt         | application/vnd.oasis.opendocument.text | This is a sample Open Office document
            testHTML.html               | text/html | Indexation du fichier
            testThunderbirdEml.eml      | message/rfc822 | Dear Vladimir
            testTXT.txt                 | text/plain | Test d'indexation de Txt
            testRTF.rtf                 | application/rtf | indexation Word
            testPPT.pptx                | application/vnd.openxmlformats-officedocument.presentationml.presentation | This is a test file data with the same content as every other file
            testEPUB.epub               | application/epub+zip | This is the text for chapter One
            testEXCEL.xlsx              | application/vnd.openxmlformats-officedocument.spreadsheetml.sheet | Sample Excel Worksheet - Numbers and their Squares
            testEXCEL.xls               | application/vnd.ms-excel | Sample Excel Worksheet - Numbers and their Squares
            derived/testPDF_noextension | application/pdf | Apache Tika is a toolkit for detecting and extracting metadata
            derived/testWORD_disguised_as.pdf | application/vnd.openxmlformats-officedocument.wordprocessingml.document | This is a sample Microsoft Word Document.
            """)
    void tikaTestDocuments(String name, String mediaType, String phrase) throws Exception {
        Path f = TestFiles.tika(name);
        ExtractedDocument d = ex.extract(f, name);
        assertEquals(ExtractionStatus.OK, d.status(), () -> name + ": " + d.statusDetail());
        assertTrue(d.text().contains(phrase), () -> name + " text lacks '" + phrase + "': " + head(d.text()));
        assertEquals(mediaType, d.mediaType());
        assertEquals(name, d.path());
        assertEquals(Files.size(f), d.sizeBytes());
        assertEquals(sha256(f), d.sha256());
        assertEquals(Files.getLastModifiedTime(f).toMillis(), d.modifiedMillis());
        assertEquals(TextNormalizer.normalize(d.text()), d.text(), "text is normalised");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            24deaf528d.pdf                | This article explains the new features in Python 3.3
            archive/2021/7fe23ab145.docx  | The mimetypes module now makes it easier
            5585401a91.odt                | ctypes is a foreign function library for Python
            4b94f58e2e.html               | the most important skill is to be able to cope with any situation
            archive/2021/48879c1179.eml   | Distutils can be extended in various ways.
            3fbf695686.txt                | This section of the FAQ answers very general, high-level questions about Perl.
            929b534f54.rtf                | The purpose of the importlib package is three-fold.
            6cd7b205e5.pptx               | The setup script is the centre of all activity
            204f4c9fe8.epub               | git-bundle - Move objects and refs by archive
            """)
    void neardupSmall(String name, String phrase) {
        Path f = TestFiles.neardup(name);
        ExtractedDocument d = ex.extract(f, name);
        assertEquals(ExtractionStatus.OK, d.status(), () -> name + ": " + d.statusDetail());
        assertTrue(d.text().contains(phrase), () -> name + " text lacks '" + phrase + "': " + head(d.text()));
        assertNotNull(d.sha256());
        assertNotNull(d.mediaType());
    }

    @Test
    void byteCopiesHaveTheSameHashAndText() {
        ExtractedDocument a = ex.extract(TestFiles.tika("testPDF.pdf"), "a");
        ExtractedDocument b = ex.extract(TestFiles.tika("derived/copy_of_testPDF.pdf"), "b");
        assertEquals(a.sha256(), b.sha256());
        assertEquals(a.text(), b.text());
    }

    @Test
    void ownerPasswordOnlyPdfIsReadable() {
        // testPDF_protected.pdf opens with the empty user password (only owner restrictions): Tika reads it.
        ExtractedDocument d = ex.extract(TestFiles.tika("testPDF_protected.pdf"), "p");
        assertEquals(ExtractionStatus.OK, d.status(), d.statusDetail());
    }

    static String sha256(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    static String head(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
