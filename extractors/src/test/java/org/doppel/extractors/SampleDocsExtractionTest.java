package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README's corpus: every format in sample-docs/ extracts to `ok` with a sentence of its source text. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleDocsExtractionTest {
    TikaExtractor extractor;

    @BeforeAll
    void open() {
        extractor = new TikaExtractor(ExtractorConfig.defaults());
    }

    @AfterAll
    void close() {
        extractor.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "garden/compost-basics.pdf|application/pdf|A compost heap is one of the cheapest ways to improve garden soil",
        "kitchen/weekend-sourdough-loaf.docx|application/vnd.openxmlformats-officedocument.wordprocessingml.document|This is a detailed method for one round country loaf",
        "garden/worm-bin-flat.odt|application/vnd.oasis.opendocument.text|Not everyone has a garden, but almost everyone peels potatoes.",
        "it/password-policy.html|application/xhtml+xml|Small organisations rarely have a dedicated security team",
        "inbox/starter-instructions.eml|message/rfc822|A sourdough starter is a small, self-sustaining culture of wild yeast",
        "bikes/seasonal-bike-care.txt|text/plain|A bicycle is a remarkably efficient machine, but it is also an honest one",
        "bikes/lock-it-up.md|text/x-web-markdown|Use a solid D-lock or a heavy chain with a shielded padlock",
        "bikes/roadside-puncture-repair.rtf|application/rtf|two tyre levers, a patch kit as a backup",
        "it/two-factor-basics.pdf|application/pdf|Two-factor authentication, often shortened to 2FA",
    })
    void extractsTextOfEachFormat(String file, String mediaType, String phrase) {
        Path path = TestFiles.sampleDocs().resolve(file);
        ExtractedDocument d = extractor.extract(path, file);
        assertEquals(ExtractionStatus.OK, d.status(), d.statusDetail());
        assertEquals(mediaType, d.mediaType());
        String flat = d.text().replaceAll("\\s+", " ");
        assertTrue(flat.contains(phrase), file + " lacks: " + phrase + "\n" + flat.substring(0, Math.min(400, flat.length())));
        assertTrue(d.sha256() != null && d.sha256().length() == 64);
    }
}
