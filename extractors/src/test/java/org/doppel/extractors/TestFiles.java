package org.doppel.extractors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations of the shared, read-only test corpora. */
final class TestFiles {
    private TestFiles() {}

    static Path corpora() {
        // ../shared beside the repo (surefire sets doppel.repo.root); -Ddoppel.corpora overrides.
        Path root = Path.of(System.getProperty("doppel.repo.root", "..")).toAbsolutePath().normalize();
        Path dir = Path.of(System.getProperty("doppel.corpora", root.resolveSibling("shared").resolve("corpora").toString()));
        // The brief: tests that need ../shared skip with a clear message when it is absent.
        assumeTrue(Files.isDirectory(dir), "skipped: test corpora not found at " + dir + " (../shared absent)");
        return dir;
    }

    static Path tikaDocs() {
        return corpora().resolve("tika-test-documents");
    }

    static Path tika(String name) {
        Path f = tikaDocs().resolve(name);
        assertTrue(Files.isRegularFile(f), "missing test document " + f);
        return f;
    }

    static Path sampleDocs() {
        Path root = Path.of(System.getProperty("doppel.repo.root", "..")).toAbsolutePath().normalize();
        return root.resolve("sample-docs").resolve("docs");
    }

    static Path neardup(String name) {
        Path f = corpora().resolve("neardup-small").resolve(name);
        assertTrue(Files.isRegularFile(f), "missing test document " + f);
        return f;
    }
}
