package org.doppel.extractors;

import java.io.Serializable;

/**
 * Limits for one extraction.
 *
 * @param maxFileBytes  files larger than this are {@code too_large} without parsing (default 100 MiB)
 * @param timeoutMillis per-file parse time limit (default 120 s)
 * @param maxChars      raw extracted characters kept before the document is {@code too_large} (default 20,000,000)
 */
public record ExtractorConfig(long maxFileBytes, long timeoutMillis, int maxChars) implements Serializable {

    public static final long DEFAULT_MAX_FILE_BYTES = 100L * 1024 * 1024;
    public static final long DEFAULT_TIMEOUT_MILLIS = 120_000L;
    public static final int DEFAULT_MAX_CHARS = 20_000_000;

    public ExtractorConfig {
        if (maxFileBytes <= 0) throw new IllegalArgumentException("maxFileBytes must be > 0: " + maxFileBytes);
        if (timeoutMillis <= 0) throw new IllegalArgumentException("timeoutMillis must be > 0: " + timeoutMillis);
        if (maxChars <= 0) throw new IllegalArgumentException("maxChars must be > 0: " + maxChars);
    }

    public static ExtractorConfig defaults() {
        return new ExtractorConfig(DEFAULT_MAX_FILE_BYTES, DEFAULT_TIMEOUT_MILLIS, DEFAULT_MAX_CHARS);
    }

    public ExtractorConfig withMaxFileBytes(long v) { return new ExtractorConfig(v, timeoutMillis, maxChars); }

    public ExtractorConfig withTimeoutMillis(long v) { return new ExtractorConfig(maxFileBytes, v, maxChars); }

    public ExtractorConfig withMaxChars(int v) { return new ExtractorConfig(maxFileBytes, timeoutMillis, v); }
}
