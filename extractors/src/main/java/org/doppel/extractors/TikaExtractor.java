package org.doppel.extractors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MimeTypes;
import org.apache.tika.parser.AutoDetectParser;

/**
 * Turns one file into an {@link ExtractedDocument} with Apache Tika's standard parsers.
 *
 * <p>Thread-safe: one instance per JVM can be shared by concurrent callers. {@link #extract} never throws and
 * returns within about the configured timeout.
 *
 * <p>With {@code isolation=process} (the default) the parse runs in a child JVM from a small pool
 * ({@link ExtractorConfig#workerProcesses()} at most, {@code -Xmx} = {@link ExtractorConfig#workerHeapMb()},
 * started on demand with this JVM's java binary and class path): a parse that does not finish in time is stopped
 * by killing the child (and anything it started, e.g. {@code tesseract}); a child that runs out of memory exits
 * and the file is {@code too_large}; a fresh child serves the next file. With {@code isolation=thread} the parse
 * runs on a daemon thread in this JVM; a parse that does not finish in time is interrupted and abandoned (the
 * thread may keep running until the parser notices, see {@link #abandonedWorkers()}).
 *
 * <p>The file bytes are read once, into memory, through a SHA-256 digest; the parser reads that in-memory copy.
 * Files above {@code maxFileBytes} are not parsed; their SHA-256 is still computed by streaming (bounded by the
 * timeout; null if the file could not be hashed in time).
 */
public final class TikaExtractor implements AutoCloseable {

    /** Largest file that can be held in one byte array. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16L;
    private static final long WORKER_STACK_BYTES = 16L * 1024 * 1024;

    private final ExtractorConfig config;
    /** In-process parser (thread mode only: in process mode the parent needs no parser registry). */
    private final ParseCore core;
    private final ThreadPoolExecutor workers;
    private final WorkerPool pool; // null in thread mode
    private final AtomicInteger abandonedRunning = new AtomicInteger();
    private final AtomicLong timeouts = new AtomicLong();
    private volatile boolean closed;

    public TikaExtractor(ExtractorConfig config) {
        this(config, null, null);
    }

    /** For tests: use {@code parser} (null: Tika's default AutoDetectParser) instead of the default one (thread mode). */
    TikaExtractor(ExtractorConfig config, AutoDetectParser parser) {
        this(config, parser, null);
    }

    /**
     * For tests: {@code parser} replaces the in-process parser (thread mode); {@code workerJvmArgs} are added to the
     * child JVMs' command line (process mode), e.g. {@code -Ddoppel.extractor.parser=CLASS}.
     */
    TikaExtractor(ExtractorConfig config, AutoDetectParser parser, List<String> workerJvmArgs) {
        this.config = config == null ? ExtractorConfig.defaults() : config;
        boolean inProcess = this.config.isolation() == ExtractorConfig.Isolation.THREAD || parser != null;
        this.core = inProcess ? new ParseCore(this.config, parser) : null;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(null, r, "doppel-tika-" + n.incrementAndGet(), WORKER_STACK_BYTES);
            t.setDaemon(true);
            return t;
        };
        // Cached pool: an idle worker is reused; a worker stuck in an abandoned parse is simply replaced.
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), factory);
        this.pool = this.config.isolation() == ExtractorConfig.Isolation.PROCESS
                ? new WorkerPool(this.config, workerJvmArgs) : null;
    }

    /** Child JVMs started so far (process mode; 0 in thread mode). */
    public int workerProcessesStarted() {
        return pool == null ? 0 : pool.startedCount();
    }

    /** Child JVMs retired after serving their quota of files (process mode). */
    int workerProcessesRetired() {
        return pool == null ? 0 : pool.retiredCount();
    }

    /** Child JVMs killed so far because of a timeout or a failure (process mode). */
    public long workerProcessesKilled() {
        return pool == null ? 0 : pool.killedCount();
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

    /**
     * Extracts {@code file}; {@code reportedPath} is copied into the record. Entries of archives and attachments of
     * e-mails come back as {@link ExtractedDocument#embedded()} (see {@link Expansion}). Never throws.
     */
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
        } catch (FileSystemException e) {
            String reason = String.valueOf(e.getReason());
            if (reason.startsWith("Too many levels of symbolic links")) return error(path, -1, 0, "symbolic link loop");
            return error(path, -1, 0, "cannot read file attributes: " + summary(e));
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
        size = bytes.length; // a zero-byte file goes to the parser too: it is `empty`, with its type by name

        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        List<ExtractedDocument> embedded = Collections.synchronizedList(new ArrayList<>());
        ExtractedDocument doc = pool != null
                ? parseInChild(bytes, name, path, size, sha, modified, timeoutMillis, deadline, embedded)
                : parseInThread(bytes, name, path, size, sha, modified, timeoutMillis, deadline, embedded);
        List<ExtractedDocument> snapshot;
        synchronized (embedded) { // an abandoned parse thread may still be adding
            snapshot = new ArrayList<>(embedded);
        }
        return withEmbedded(doc, snapshot);
    }

    /**
     * The input file's record with its embedded documents sorted by path (a container before its entries), those
     * whose container has no record left out (a parse cut short by a timeout or crash finishes entries before their
     * container), and the file's modification time for those without their own.
     */
    private static ExtractedDocument withEmbedded(ExtractedDocument doc, List<ExtractedDocument> embedded) {
        if (embedded.isEmpty()) return doc;
        embedded.sort(Comparator.comparing(ExtractedDocument::path));
        Set<String> present = new HashSet<>();
        present.add(doc.path());
        List<ExtractedDocument> kept = new ArrayList<>(embedded.size());
        for (ExtractedDocument d : embedded) {
            if (!present.contains(d.parent()) || !present.add(d.path())) continue;
            kept.add(d.modifiedMillis() > 0 ? d : new ExtractedDocument(d.path(), d.sizeBytes(), d.sha256(),
                    d.mediaType(), d.text(), d.status(), d.statusDetail(), doc.modifiedMillis(), d.parent(), List.of()));
        }
        return doc.withEmbedded(kept);
    }

    /** Thread mode: parses on a worker thread of this JVM, abandoning it at the deadline. */
    private ExtractedDocument parseInThread(byte[] bytes, String name, String path, long size, String sha,
                                            long modified, long timeoutMillis, long deadline,
                                            List<ExtractedDocument> embedded) {
        ParseTask task = new ParseTask(bytes, name, path, sha, timeoutMillis, embedded);
        Future<ParseCore.Result> future;
        try {
            future = workers.submit(task);
        } catch (RuntimeException e) { // rejected: closed concurrently
            return error(path, size, modified, "extractor is closed");
        }
        ParseCore.Result r;
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
        return new ExtractedDocument(path, size, sha, r.mediaType(), r.text(), r.status(), r.detail(), modified);
    }

    /**
     * Process mode: sends the bytes to a child JVM and waits for its answer until the deadline. Time spent waiting
     * for a free child or for a fresh child to start does not count against the file's time limit.
     */
    private ExtractedDocument parseInChild(byte[] bytes, String name, String path, long size, String sha,
                                           long modified, long timeoutMillis, long deadline,
                                           List<ExtractedDocument> embedded) {
        long remaining = deadline - System.nanoTime();
        WorkerPool.Worker w;
        try {
            w = pool.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExtractedDocument(path, size, sha, null, "", ExtractionStatus.ERROR,
                    "interrupted while waiting for a worker process", modified);
        } catch (IOException e) {
            return new ExtractedDocument(path, size, sha, null, "", ExtractionStatus.ERROR,
                    ParseCore.shorten(String.valueOf(e.getMessage()).replaceAll("\\s+", " ")), modified);
        }
        long until = System.nanoTime() + Math.max(remaining, TimeUnit.MILLISECONDS.toNanos(1));
        String detected = null;
        boolean done = false;
        try {
            try {
                w.send(name, path, sha, timeoutMillis, bytes);
            } catch (IOException e) {
                return childDied(w, path, size, sha, modified, null, "could not send the file: " + summary(e));
            }
            while (true) {
                Object f;
                try {
                    f = w.frames.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new ExtractedDocument(path, size, sha, detected, "", ExtractionStatus.ERROR,
                            "interrupted while waiting for the parser", modified);
                }
                if (f == null) {
                    timeouts.incrementAndGet();
                    return new ExtractedDocument(path, size, sha, detected, "", ExtractionStatus.TIMEOUT,
                            "parse did not finish within " + timeoutMillis + " ms (worker process killed)", modified);
                }
                if (f instanceof WorkerPool.Eof eof) {
                    return childDied(w, path, size, sha, modified, detected, eof.why());
                }
                if (f instanceof ExtractedDocument d) {
                    embedded.add(d);
                    continue;
                }
                WorkerPool.Frame fr = (WorkerPool.Frame) f;
                if (fr.kind() == 'D') {
                    detected = fr.fields()[0];
                } else if (fr.kind() == 'E') {
                    done = true;
                    String[] v = fr.fields();
                    ExtractionStatus st = ExtractionStatus.fromLabel(v[0]);
                    return new ExtractedDocument(path, size, sha, v[2] != null ? v[2] : detected, v[3], st, v[1],
                            modified);
                }
            }
        } finally {
            if (done) pool.release(w);
            else pool.discard(w);
        }
    }

    private ExtractedDocument childDied(WorkerPool.Worker w, String path, long size, String sha, long modified,
                                        String detected, String why) {
        int exit = -1;
        try {
            if (w.proc.waitFor(2, TimeUnit.SECONDS)) exit = w.proc.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String err = w.stderrTail();
        if (exit == WorkerPool.OOM_EXIT || err.contains("OutOfMemoryError")) {
            return new ExtractedDocument(path, size, sha, detected, "", ExtractionStatus.TOO_LARGE,
                    "out of memory while parsing (worker heap " + config.workerHeapMb() + " MiB)", modified);
        }
        String last = lastLine(err);
        return new ExtractedDocument(path, size, sha, detected, "", ExtractionStatus.ERROR,
                ParseCore.shorten("worker process died" + (exit >= 0 ? " (exit code " + exit + ")" : "")
                        + (last.isEmpty() ? "" : ": " + last) + (why == null ? "" : " [" + why + "]")), modified);
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    private final class ParseTask implements java.util.concurrent.Callable<ParseCore.Result> {
        private final byte[] bytes;
        private final String name;
        private final String path;
        private final String sha;
        private final long timeoutMillis;
        private final List<ExtractedDocument> embedded;
        volatile String detected;
        private volatile boolean abandoned;
        private volatile boolean finished;

        ParseTask(byte[] bytes, String name, String path, String sha, long timeoutMillis,
                  List<ExtractedDocument> embedded) {
            this.bytes = bytes;
            this.name = name;
            this.path = path;
            this.sha = sha;
            this.timeoutMillis = timeoutMillis;
            this.embedded = embedded;
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
        public ParseCore.Result call() {
            try {
                return core.parse(bytes, name, path, sha, timeoutMillis, t -> detected = t, embedded::add);
            } finally {
                synchronized (this) {
                    finished = true;
                    if (abandoned) abandonedRunning.decrementAndGet();
                }
            }
        }
    }

    /** Media type from the file name alone, for files that are not parsed (too large); loads Tika's type registry. */
    private String detectByName(Path file) {
        try {
            Metadata md = new Metadata();
            Path name = file.getFileName();
            if (name != null) md.set(TikaCoreProperties.RESOURCE_NAME_KEY, name.toString());
            return ParseCore.base(MimeTypes.getDefaultMimeTypes().detect(null, md)); // by name only
        } catch (Throwable t) {
            return null;
        }
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

    /** "SimpleName: message" of the exception plus its root cause, shortened. */
    static String summary(Throwable t) {
        return ParseCore.summary(t);
    }

    private static ExtractedDocument error(String path, long size, long modified, String why) {
        return new ExtractedDocument(path, size, null, null, "", ExtractionStatus.ERROR, why, modified);
    }

    /** Stops the workers (interrupting running parses). Later calls to {@link #extract} return {@code error}. */
    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        if (pool != null) pool.close();
    }
}
