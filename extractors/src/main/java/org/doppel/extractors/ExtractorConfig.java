package org.doppel.extractors;

import java.io.Serializable;
import java.util.Locale;

/**
 * Limits for one extraction.
 *
 * @param maxFileBytes    files larger than this are {@code too_large} without parsing (default 100 MiB)
 * @param timeoutMillis   per-file parse time limit (default 120 s)
 * @param maxChars        raw extracted characters kept before the document is {@code too_large} (default 20,000,000)
 * @param isolation       where parsers run: {@link Isolation#PROCESS} (default: child JVMs that are killed on timeout
 *                        or out-of-memory) or {@link Isolation#THREAD} (in this JVM; fast start, for tests)
 * @param workerHeapMb    {@code -Xmx} of each child JVM in MiB (default 512); a parse that needs more is
 *                        {@code too_large}
 * @param workerProcesses most child JVMs alive at once (default: available processors); concurrent callers beyond
 *                        this wait for a free one
 * @param ocr             Tesseract OCR: {@link OcrMode#AUTO} (default: images, and PDF pages without a text layer),
 *                        {@link OcrMode#ON} (every PDF page as well) or {@link OcrMode#OFF}; no effect where the
 *                        {@code tesseract} binary is not installed
 * @param maxDepth        containers (archives, e-mails) nest their entries/attachments as documents of their own down
 *                        to this many levels ({@code a.zip!/b.zip!/c.txt} is level 2; default 3); 0 = containers are
 *                        not split, their embedded text is part of the container's text
 * @param maxEmbedded     most embedded documents extracted from one input file, all levels together (default 1000)
 * @param maxExpandedBytes most bytes of embedded documents read from one input file, all levels together; 0 (the
 *                        default) = 10 x {@code maxFileBytes} (see {@link #expandedBytesLimit()})
 */
public record ExtractorConfig(long maxFileBytes, long timeoutMillis, int maxChars,
                              Isolation isolation, int workerHeapMb, int workerProcesses, OcrMode ocr,
                              int maxDepth, int maxEmbedded, long maxExpandedBytes)
        implements Serializable {

    public static final long DEFAULT_MAX_FILE_BYTES = 100L * 1024 * 1024;
    public static final long DEFAULT_TIMEOUT_MILLIS = 120_000L;
    public static final int DEFAULT_MAX_CHARS = 20_000_000;
    public static final int DEFAULT_WORKER_HEAP_MB = 512;
    public static final int DEFAULT_MAX_DEPTH = 3;
    public static final int DEFAULT_MAX_EMBEDDED = 1000;
    /** Default byte budget for embedded documents, as a multiple of {@code maxFileBytes}. */
    public static final int EXPANDED_BYTES_FACTOR = 10;

    /** Where the parsers run. */
    public enum Isolation {
        /** Child JVMs managed by the extractor: a stuck parse is killed, an out-of-memory parse cannot hurt the caller. */
        PROCESS,
        /** Daemon threads in the calling JVM: a stuck parse is abandoned (may keep a core busy). */
        THREAD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Isolation fromLabel(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** When Tesseract OCR is applied. */
    public enum OcrMode {
        /** Images, and PDF pages that have (almost) no text layer. */
        AUTO,
        /** Images, and every PDF page (OCR text is added to the text layer). */
        ON,
        /** Never. */
        OFF;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static OcrMode fromLabel(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    public ExtractorConfig {
        if (maxFileBytes <= 0) throw new IllegalArgumentException("maxFileBytes must be > 0: " + maxFileBytes);
        if (timeoutMillis <= 0) throw new IllegalArgumentException("timeoutMillis must be > 0: " + timeoutMillis);
        if (maxChars <= 0) throw new IllegalArgumentException("maxChars must be > 0: " + maxChars);
        if (isolation == null) isolation = Isolation.PROCESS;
        if (ocr == null) ocr = OcrMode.AUTO;
        if (workerHeapMb <= 0) workerHeapMb = DEFAULT_WORKER_HEAP_MB;
        if (workerHeapMb < 64) throw new IllegalArgumentException("workerHeapMb must be >= 64: " + workerHeapMb);
        if (workerProcesses <= 0) workerProcesses = defaultWorkerProcesses();
        if (maxDepth < 0) throw new IllegalArgumentException("maxDepth must be >= 0: " + maxDepth);
        if (maxEmbedded <= 0) throw new IllegalArgumentException("maxEmbedded must be > 0: " + maxEmbedded);
        if (maxExpandedBytes < 0) throw new IllegalArgumentException("maxExpandedBytes must be >= 0: " + maxExpandedBytes);
    }

    /** Without the container limits: depth 3, 1000 embedded documents, 10 x maxFileBytes. */
    public ExtractorConfig(long maxFileBytes, long timeoutMillis, int maxChars,
                           Isolation isolation, int workerHeapMb, int workerProcesses, OcrMode ocr) {
        this(maxFileBytes, timeoutMillis, maxChars, isolation, workerHeapMb, workerProcesses, ocr,
                DEFAULT_MAX_DEPTH, DEFAULT_MAX_EMBEDDED, 0);
    }

    /** The original three-limit form: process isolation, 512 MiB child heap, OCR auto. */
    public ExtractorConfig(long maxFileBytes, long timeoutMillis, int maxChars) {
        this(maxFileBytes, timeoutMillis, maxChars, Isolation.PROCESS, DEFAULT_WORKER_HEAP_MB, 0, OcrMode.AUTO);
    }

    /** Byte budget for the embedded documents of one input file: {@code maxExpandedBytes}, or 10 x maxFileBytes. */
    public long expandedBytesLimit() {
        if (maxExpandedBytes > 0) return maxExpandedBytes;
        return maxFileBytes > Long.MAX_VALUE / EXPANDED_BYTES_FACTOR ? Long.MAX_VALUE : maxFileBytes * EXPANDED_BYTES_FACTOR;
    }

    public static int defaultWorkerProcesses() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public static ExtractorConfig defaults() {
        return new ExtractorConfig(DEFAULT_MAX_FILE_BYTES, DEFAULT_TIMEOUT_MILLIS, DEFAULT_MAX_CHARS);
    }

    public ExtractorConfig withMaxFileBytes(long v) {
        return new ExtractorConfig(v, timeoutMillis, maxChars, isolation, workerHeapMb, workerProcesses, ocr, maxDepth, maxEmbedded,
                maxExpandedBytes);
    }

    public ExtractorConfig withTimeoutMillis(long v) {
        return new ExtractorConfig(maxFileBytes, v, maxChars, isolation, workerHeapMb, workerProcesses, ocr, maxDepth, maxEmbedded,
                maxExpandedBytes);
    }

    public ExtractorConfig withMaxChars(int v) {
        return new ExtractorConfig(maxFileBytes, timeoutMillis, v, isolation, workerHeapMb, workerProcesses, ocr, maxDepth, maxEmbedded,
                maxExpandedBytes);
    }

    public ExtractorConfig withIsolation(Isolation v) {
        return new ExtractorConfig(maxFileBytes, timeoutMillis, maxChars, v, workerHeapMb, workerProcesses, ocr, maxDepth, maxEmbedded,
                maxExpandedBytes);
    }

    public ExtractorConfig withWorkerHeapMb(int v) {
        return new ExtractorConfig(maxFileBytes, timeoutMillis, maxChars, isolation, v, workerProcesses, ocr, maxDepth, maxEmbedded,
                maxExpandedBytes);
    }

    public ExtractorConfig withWorkerProcesses(int v) {
        return new ExtractorConfig(maxFileBytes, timeoutMillis, maxChars, isolation, workerHeapMb, v, ocr, maxDepth, maxEmbedded,
                maxExpandedBytes);
    }

    public ExtractorConfig withOcr(OcrMode v) {
        return new ExtractorConfig(maxFileBytes, timeoutMillis, maxChars, isolation, workerHeapMb, workerProcesses, v, maxDepth, maxEmbedded,
                maxExpandedBytes);
    }

    public ExtractorConfig withMaxDepth(int v) {
        return new ExtractorConfig(maxFileBytes, timeoutMillis, maxChars, isolation, workerHeapMb, workerProcesses, ocr, v,
                maxEmbedded, maxExpandedBytes);
    }

    public ExtractorConfig withMaxEmbedded(int v) {
        return new ExtractorConfig(maxFileBytes, timeoutMillis, maxChars, isolation, workerHeapMb, workerProcesses, ocr,
                maxDepth, v, maxExpandedBytes);
    }

    public ExtractorConfig withMaxExpandedBytes(long v) {
        return new ExtractorConfig(maxFileBytes, timeoutMillis, maxChars, isolation, workerHeapMb, workerProcesses, ocr,
                maxDepth, maxEmbedded, v);
    }
}
