package org.doppel.extractors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.UnsupportedFormatException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.EmptyParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.WriteOutContentHandler;

/**
 * Turns one file into an {@link ExtractedDocument} with Apache Tika's standard parsers.
 *
 * <p>Thread-safe: one instance per JVM can be shared by concurrent callers. {@link #extract} never throws and
 * returns within about the configured timeout: the parse runs on a daemon worker thread; a parse that does not
 * finish in time is interrupted and abandoned (the thread may keep running until the parser notices, see
 * {@link #abandonedWorkers()}), and later files get a fresh worker.
 *
 * <p>The file bytes are read once, into memory, through a SHA-256 digest; the parser reads that in-memory copy.
 * Files above {@code maxFileBytes} are not parsed; their SHA-256 is still computed by streaming (bounded by the
 * timeout; null if the file could not be hashed in time).
 */
public final class TikaExtractor implements AutoCloseable {

    /** Largest file that can be held in one byte array. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16L;
    private static final int MAX_DETAIL = 400;
    private static final long WORKER_STACK_BYTES = 16L * 1024 * 1024;

    private final ExtractorConfig config;
    private final AutoDetectParser parser;
    private final Detector detector;
    private final MediaTypeRegistry registry;
    private final ThreadPoolExecutor workers;
    private final Map<MediaType, Boolean> parsable = new ConcurrentHashMap<>();
    private final AtomicInteger abandonedRunning = new AtomicInteger();
    private final AtomicLong timeouts = new AtomicLong();
    private volatile boolean closed;

    public TikaExtractor(ExtractorConfig config) {
        this(config, null);
    }

    /** For tests: use {@code parser} (null: Tika's default AutoDetectParser) instead of the default one. */
    TikaExtractor(ExtractorConfig config, AutoDetectParser parser) {
        this.config = config == null ? ExtractorConfig.defaults() : config;
        TikaConfig tika = TikaConfig.getDefaultConfig();
        this.parser = parser != null ? parser : new AutoDetectParser(tika);
        this.detector = this.parser.getDetector();
        this.registry = tika.getMediaTypeRegistry();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(null, r, "doppel-tika-" + n.incrementAndGet(), WORKER_STACK_BYTES);
            t.setDaemon(true);
            return t;
        };
        // Cached pool: an idle worker is reused; a worker stuck in an abandoned parse is simply replaced.
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory);
    }

    public ExtractorConfig config() {
        return config;
    }

    /** Workers whose parse timed out and that have not finished yet (each may be keeping a core busy). */
    public int abandonedWorkers() {
        return abandonedRunning.get();
    }

    /** Number of parses that hit the timeout since this extractor was created. */
    public long timeoutCount() {
        return timeouts.get();
    }

    /** Extracts {@code file}; {@code reportedPath} is copied into the record. Never throws. */
    public ExtractedDocument extract(Path file, String reportedPath) {
        return extract(file, reportedPath, config.timeoutMillis());
    }

    /** As {@link #extract(Path, String)} with a time limit for this file only (milliseconds, > 0). */
    public ExtractedDocument extract(Path file, String reportedPath, long timeoutMillis) {
        String path = reportedPath != null ? reportedPath : String.valueOf(file);
        try {
            return doExtract(file, path, timeoutMillis > 0 ? timeoutMillis : config.timeoutMillis());
        } catch (Throwable t) { // last resort: failures are a status
            if (t instanceof InterruptedException) Thread.currentThread().interrupt();
            return new ExtractedDocument(path, -1, null, null, "", ExtractionStatus.ERROR,
                    "unexpected failure: " + summary(t), 0);
        }
    }

    private ExtractedDocument doExtract(Path file, String path, long timeoutMillis) {
        if (closed) return error(path, -1, 0, "extractor is closed");
        if (file == null) return error(path, -1, 0, "no path given");
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            boolean link = Files.isSymbolicLink(file);
            return error(path, -1, 0, link ? "broken symbolic link" : "file not found");
        } catch (AccessDeniedException e) {
            return error(path, -1, 0, "permission denied");
        } catch (IOException | SecurityException e) {
            return error(path, -1, 0, "cannot read file attributes: " + summary(e));
        }
        long modified = attrs.lastModifiedTime().toMillis();
        if (attrs.isDirectory()) return error(path, -1, modified, "is a directory");
        if (!attrs.isRegularFile()) return error(path, attrs.size(), modified, "not a regular file");
        long size = attrs.size();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);

        if (size > config.maxFileBytes() || size > MAX_ARRAY) {
            String sha = hashOnly(file, deadline);
            long limit = Math.min(config.maxFileBytes(), MAX_ARRAY);
            return new ExtractedDocument(path, size, sha, detectByName(file), "", ExtractionStatus.TOO_LARGE,
                    "file is " + size + " bytes, limit " + limit, modified);
        }

        // Read the bytes once, through the digest.
        byte[] bytes;
        String sha;
        try {
            MessageDigest md = TextNormalizer.newSha256();
            bytes = readAll(file, size, Math.min(config.maxFileBytes(), MAX_ARRAY), md);
            if (bytes == null) { // grew past the limit while reading
                return new ExtractedDocument(path, size, null, detectByName(file), "", ExtractionStatus.TOO_LARGE,
                        "file grew beyond " + config.maxFileBytes() + " bytes while reading", modified);
            }
            sha = HexFormat.of().formatHex(md.digest());
        } catch (AccessDeniedException e) {
            return error(path, size, modified, "permission denied");
        } catch (IOException | SecurityException e) {
            return error(path, size, modified, "read failed: " + summary(e));
        } catch (OutOfMemoryError e) {
            return new ExtractedDocument(path, size, null, null, "", ExtractionStatus.TOO_LARGE,
                    "out of memory while reading the file", modified);
        }
        size = bytes.length;
        if (size == 0) {
            return new ExtractedDocument(path, 0, sha, detectByName(file), "", ExtractionStatus.EMPTY,
                    "zero-byte file", modified);
        }

        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        ParseTask task = new ParseTask(bytes, name);
        Future<ParseResult> future;
        try {
            future = workers.submit(task);
        } catch (RuntimeException e) { // rejected: closed concurrently
            return error(path, size, modified, "extractor is closed");
        }
        ParseResult r;
        try {
            long waitNanos = Math.max(1, deadline - System.nanoTime());
            r = future.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.abandon();
            future.cancel(true);
            timeouts.incrementAndGet();
            return new ExtractedDocument(path, size, sha, task.detected, "", ExtractionStatus.TIMEOUT,
                    "parse did not finish within " + timeoutMillis + " ms", modified);
        } catch (InterruptedException e) {
            task.abandon();
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new ExtractedDocument(path, size, sha, task.detected, "", ExtractionStatus.ERROR,
                    "interrupted while waiting for the parser", modified);
        } catch (ExecutionException | CancellationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return new ExtractedDocument(path, size, sha, task.detected, "", ExtractionStatus.ERROR,
                    "parser worker failed: " + summary(c), modified);
        }
        return toDocument(r, path, size, sha, modified);
    }

    private ExtractedDocument toDocument(ParseResult r, String path, long size, String sha, long modified) {
        String type = r.mediaType;
        if (r.unsupported) {
            return new ExtractedDocument(path, size, sha, type, "", ExtractionStatus.UNSUPPORTED,
                    "no parser for media type " + type, modified);
        }
        if (r.failure != null) {
            Outcome o = classify(r.failure);
            return new ExtractedDocument(path, size, sha, type, "", o.status, o.detail, modified);
        }
        if (r.rawText.length() >= config.maxChars()) {
            return new ExtractedDocument(path, size, sha, type, "", ExtractionStatus.TOO_LARGE,
                    "text exceeds " + config.maxChars() + " chars", modified);
        }
        String text = TextNormalizer.normalize(r.rawText);
        if (text.isEmpty()) {
            return new ExtractedDocument(path, size, sha, type, "", ExtractionStatus.EMPTY,
                    "no text extracted" + (type != null ? " (" + type + ")" : ""), modified);
        }
        String detail = "";
        if (r.embeddedFailures > 0) {
            detail = r.embeddedFailures + " embedded item(s) could not be parsed";
        }
        return new ExtractedDocument(path, size, sha, type, text, ExtractionStatus.OK, detail, modified);
    }

    /** Result of running the parser on a worker. */
    private static final class ParseResult {
        String mediaType;
        boolean unsupported;
        String rawText = "";
        Throwable failure;
        int embeddedFailures;
    }

    private final class ParseTask implements java.util.concurrent.Callable<ParseResult> {
        private final byte[] bytes;
        private final String name;
        volatile String detected;
        private volatile boolean abandoned;
        private volatile boolean finished;

        ParseTask(byte[] bytes, String name) {
            this.bytes = bytes;
            this.name = name;
        }

        void abandon() {
            synchronized (this) {
                if (!finished && !abandoned) {
                    abandoned = true;
                    abandonedRunning.incrementAndGet();
                }
            }
        }

        @Override
        public ParseResult call() {
            ParseResult r = new ParseResult();
            try {
                Metadata md = new Metadata();
                md.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
                WriteOutContentHandler out = new WriteOutContentHandler(config.maxChars());
                try (TikaInputStream in = TikaInputStream.get(bytes, md)) {
                    MediaType type = detector.detect(in, md);
                    detected = base(type);
                    r.mediaType = detected;
                    if (!hasRealParser(type)) {
                        r.unsupported = true;
                        return r;
                    }
                    ParseContext ctx = new ParseContext();
                    ctx.set(Parser.class, parser); // parse embedded documents / attachments too
                    parser.parse(in, new BodyContentHandler(out), md, ctx);
                } catch (Throwable t) {
                    r.failure = t;
                }
                String ct = base(md.get(Metadata.CONTENT_TYPE));
                if (ct != null) r.mediaType = ct;
                String[] embedded = md.getValues(TikaCoreProperties.TIKA_META_EXCEPTION_EMBEDDED_STREAM);
                r.embeddedFailures = embedded == null ? 0 : embedded.length;
                if (r.failure == null) r.rawText = out.toString();
            } catch (Throwable t) {
                r.failure = t;
            } finally {
                synchronized (this) {
                    finished = true;
                    if (abandoned) abandonedRunning.decrementAndGet();
                }
            }
            return r;
        }
    }

    /** True when some parser other than EmptyParser handles {@code type} or one of its supertypes. */
    private boolean hasRealParser(MediaType type) {
        if (type == null) return false;
        MediaType key = type.getBaseType();
        return parsable.computeIfAbsent(key, k -> {
            Map<MediaType, Parser> parsers = parser.getParsers(new ParseContext());
            MediaType t = registry.normalize(k);
            int guard = 0;
            while (t != null && guard++ < 32) {
                Parser p = parsers.get(t);
                if (p != null) return !(p instanceof EmptyParser);
                t = registry.getSupertype(t);
            }
            return false;
        });
    }

    private String detectByName(Path file) {
        try {
            Metadata md = new Metadata();
            Path name = file.getFileName();
            if (name != null) md.set(TikaCoreProperties.RESOURCE_NAME_KEY, name.toString());
            return base(detector.detect(null, md));
        } catch (Throwable t) {
            return null;
        }
    }

    private static String base(MediaType t) {
        return t == null ? null : t.getBaseType().toString();
    }

    private static String base(String contentType) {
        if (contentType == null || contentType.isBlank()) return null;
        MediaType t = MediaType.parse(contentType);
        return t == null ? contentType.trim() : t.getBaseType().toString();
    }

    private static byte[] readAll(Path file, long sizeHint, long limit, MessageDigest md) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[(int) Math.max(0, Math.min(sizeHint, limit))];
            int len = 0;
            while (true) {
                if (len == buf.length) {
                    if (len >= limit) {
                        // at the limit: one more byte means too large
                        if (in.read() >= 0) return null;
                        break;
                    }
                    int probe = in.read();
                    if (probe < 0) break;
                    long newCap = Math.min(limit, Math.max(len * 2L, len + 8192L));
                    buf = Arrays.copyOf(buf, (int) newCap);
                    buf[len++] = (byte) probe;
                    continue;
                }
                int k = in.read(buf, len, buf.length - len);
                if (k < 0) break;
                len += k;
            }
            md.update(buf, 0, len);
            return len == buf.length ? buf : Arrays.copyOf(buf, len);
        }
    }

    /** Streaming SHA-256 of a file not being parsed; null if unreadable or the deadline passes. */
    private static String hashOnly(Path file, long deadlineNanos) {
        MessageDigest md = TextNormalizer.newSha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int k;
            while ((k = in.read(buf)) >= 0) {
                md.update(buf, 0, k);
                if (System.nanoTime() > deadlineNanos) return null;
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private record Outcome(ExtractionStatus status, String detail) {}

    private Outcome classify(Throwable failure) {
        if (WriteLimitReachedException.isWriteLimitReached(failure)) {
            return new Outcome(ExtractionStatus.TOO_LARGE, "text exceeds " + config.maxChars() + " chars");
        }
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof WriteLimitReachedException) {
                return new Outcome(ExtractionStatus.TOO_LARGE, "text exceeds " + config.maxChars() + " chars");
            }
            if (t instanceof EncryptedDocumentException || looksEncrypted(t)) {
                return new Outcome(ExtractionStatus.ENCRYPTED, "encrypted or password protected: " + summary(failure));
            }
            if (t instanceof ZeroByteFileException) {
                return new Outcome(ExtractionStatus.EMPTY, "zero-byte content");
            }
            if (t instanceof UnsupportedFormatException) {
                return new Outcome(ExtractionStatus.UNSUPPORTED, "unsupported format: " + summary(failure));
            }
            if (t instanceof OutOfMemoryError) {
                return new Outcome(ExtractionStatus.TOO_LARGE, "out of memory while parsing");
            }
            if (t instanceof StackOverflowError) {
                return new Outcome(ExtractionStatus.CORRUPT, "stack overflow while parsing (too deeply nested?)");
            }
        }
        String rootMsg = rootMessage(failure);
        if (NOT_SUPPORTED.matcher(rootMsg).find()) {
            return new Outcome(ExtractionStatus.UNSUPPORTED, "unsupported variant: " + summary(failure));
        }
        if (failure instanceof InterruptedException || failure.getCause() instanceof InterruptedException) {
            return new Outcome(ExtractionStatus.ERROR, "parse interrupted");
        }
        if (failure instanceof Error) {
            return new Outcome(ExtractionStatus.ERROR, "internal error while parsing: " + summary(failure));
        }
        return new Outcome(ExtractionStatus.CORRUPT, summary(failure));
    }

    /** Parser messages that mean "valid but unsupported variant", e.g. POI's "Strict OOXML isn't currently supported". */
    private static final java.util.regex.Pattern NOT_SUPPORTED = java.util.regex.Pattern.compile(
            "(?i)\\b(isn't|is not|not) (currently |yet )?supported\\b");

    private static String rootMessage(Throwable t) {
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable root = t;
        while (root.getCause() != null && seen.add(root)) root = root.getCause();
        return String.valueOf(root.getMessage());
    }

    private static boolean looksEncrypted(Throwable t) {
        String cls = t.getClass().getName();
        // org.apache.poi.EncryptedDocumentException, PDFBox InvalidPasswordException, zip/7z password exceptions
        return cls.endsWith("EncryptedDocumentException") || cls.endsWith("InvalidPasswordException")
                || cls.endsWith("PasswordRequiredException") || cls.endsWith("UnsupportedZipFeatureException")
                        && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("encrypt");
    }

    /** "SimpleName: message" of the exception plus its root cause, shortened. */
    static String summary(Throwable t) {
        if (t == null) return "";
        StringBuilder sb = new StringBuilder(one(t));
        Throwable root = t;
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        while (root.getCause() != null && seen.add(root)) root = root.getCause();
        if (root != t) {
            String r = one(root);
            if (!sb.toString().contains(r)) sb.append(" (cause: ").append(r).append(')');
        }
        // stable across runs: drop identity hashes (Parser@1eaea7e4) and Tika temp-file numbers
        String s = sb.toString().replaceAll("\\s+", " ")
                .replaceAll("@[0-9a-f]{4,}\\b", "")
                .replaceAll("apache-tika-\\d+", "apache-tika-*")
                .trim();
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL - 3) + "..." : s;
    }

    private static String one(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.trim());
    }

    private static ExtractedDocument error(String path, long size, long modified, String why) {
        return new ExtractedDocument(path, size, null, null, "", ExtractionStatus.ERROR, why, modified);
    }

    /** Stops the workers (interrupting running parses). Later calls to {@link #extract} return {@code error}. */
    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
    }
}
