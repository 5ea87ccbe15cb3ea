package org.doppel.extractors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations of the shared, read-only test corpora. */
final class TestFiles {
    private TestFiles() {}

    static Path corpora() {
        String p = System.getProperty("doppel.corpora", "/work/shared/corpora");
        Path dir = Path.of(p);
        assumeTrue(Files.isDirectory(dir), "test corpora not found at " + dir);
        return dir;
    }

    static Path tikaDocs() {
        return corpora().resolve("tika-test-documents");
    }

    static Path tika(String name) {
        Path f = tikaDocs().resolve(name);
        assumeTrue(Files.isRegularFile(f), "missing test document " + f);
        return f;
    }

    static Path neardup(String name) {
        Path f = corpora().resolve("neardup-small").resolve(name);
        assumeTrue(Files.isRegularFile(f), "missing test document " + f);
        return f;
    }
}
