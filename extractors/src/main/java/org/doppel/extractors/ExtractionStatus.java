package org.doppel.extractors;

import java.util.Locale;

/** Outcome of extracting one file. {@link #label()} is the lower-case name used in reports. */
public enum ExtractionStatus {
    /** Text was extracted. */
    OK,
    /** Zero-byte file, or no text left after normalisation. */
    EMPTY,
    /** Password protected / encrypted / DRM. */
    ENCRYPTED,
    /** The parser failed on malformed content. */
    CORRUPT,
    /** No parser for the detected media type. */
    UNSUPPORTED,
    /** Parse did not finish within the configured time limit. */
    TIMEOUT,
    /** File above the byte limit, text above the character limit, or out of memory. */
    TOO_LARGE,
    /** The file could not be read (missing, directory, permissions, I/O error) or an unexpected failure. */
    ERROR;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** Lower-case name: ok, empty, encrypted, corrupt, unsupported, timeout, too_large, error. */
    public String label() {
        return label;
    }

    /** Inverse of {@link #label()} (case-insensitive). */
    public static ExtractionStatus fromLabel(String label) {
        return valueOf(label.trim().toUpperCase(Locale.ROOT));
    }
}
