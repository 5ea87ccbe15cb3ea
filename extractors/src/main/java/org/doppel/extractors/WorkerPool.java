package org.doppel.extractors;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small pool of child JVMs running {@link ExtractionWorker}. Each child serves one caller at a time; a child that
 * times out or dies is killed (with any processes it started, e.g. {@code tesseract}) and a fresh one is started on
 * the next request. Thread-safe.
 */
final class WorkerPool implements AutoCloseable {

    /** Exit code of a JVM stopped by {@code -XX:+ExitOnOutOfMemoryError}. */
    static final int OOM_EXIT = 3;
    private static final long START_TIMEOUT_MS = 120_000;
    /** Extra options for the child JVMs, space separated (e.g. {@code -XX:TieredStopAtLevel=1}). */
    static final String JVM_OPTIONS_PROPERTY = "doppel.extractor.workerJvmOptions";
    /** Files a child parses before it is replaced (parsers can leak); {@code -Ddoppel.extractor.filesPerWorker}. */
    static final String FILES_PER_WORKER_PROPERTY = "doppel.extractor.filesPerWorker";
    private final int filesPerWorker;
    private final AtomicInteger retired = new AtomicInteger();

    private final ExtractorConfig config;
    private final List<String> extraJvmArgs;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();
    private final Set<Worker> all = ConcurrentHashMap.newKeySet();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicLong killed = new AtomicLong();
    private volatile boolean closed;

    WorkerPool(ExtractorConfig config, List<String> extraJvmArgs) {
        this.config = config;
        this.extraJvmArgs = extraJvmArgs == null ? List.of() : List.copyOf(extraJvmArgs);
        this.permits = new Semaphore(config.workerProcesses(), true);
        this.filesPerWorker = Math.max(1, Integer.getInteger(FILES_PER_WORKER_PROPERTY, 5000));
    }

    int startedCount() {
        return started.get();
    }

    long killedCount() {
        return killed.get();
    }

    int retiredCount() {
        return retired.get();
    }

    int liveCount() {
        return all.size();
    }

    /** Waits for a free slot and returns a ready worker (starting one if needed). */
    Worker acquire() throws IOException, InterruptedException {
        if (closed) throw new IOException("extractor is closed");
        permits.acquire();
        try {
            Worker w;
            while ((w = idle.pollFirst()) != null) {
                if (w.proc.isAlive()) return w;
                kill(w);
            }
            if (closed) throw new IOException("extractor is closed");
            return start();
        } catch (IOException | RuntimeException | Error | InterruptedException e) {
            permits.release();
            throw e;
        }
    }

    /** Returns a healthy worker after a completed request. */
    void release(Worker w) {
        if (closed || !w.proc.isAlive()) {
            kill(w);
        } else if (++w.files >= filesPerWorker) {
            retire(w);
        } else {
            idle.addFirst(w);
        }
        permits.release();
    }

    /** Asks a healthy child to quit (it exits after reading 'Q'); a fresh one is started on demand. */
    private void retire(Worker w) {
        all.remove(w);
        retired.incrementAndGet();
        try {
            synchronized (w.out) {
                w.out.writeInt(ExtractionWorker.MAGIC);
                w.out.writeByte('Q');
                w.out.flush();
            }
            w.out.close();
        } catch (IOException e) {
            w.proc.destroyForcibly();
        }
        w.proc.onExit().orTimeout(5, TimeUnit.SECONDS).whenComplete((p, e) -> w.proc.destroyForcibly());
    }

    /** Kills a worker that timed out or failed and frees its slot. */
    void discard(Worker w) {
        kill(w);
        permits.release();
    }

    private void kill(Worker w) {
        all.remove(w);
        if (w.proc.isAlive()) killed.incrementAndGet();
        try {
            w.proc.descendants().forEach(ProcessHandle::destroyForcibly); // tesseract & co.
        } catch (RuntimeException ignored) {
            // best effort
        }
        w.proc.destroyForcibly();
        try {
            w.out.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private Worker start() throws IOException, InterruptedException {
        List<String> cmd = command();
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        // one OpenMP thread per tesseract: the pool already runs one parse per core
        pb.environment().putIfAbsent("OMP_THREAD_LIMIT", "1");
        Process p = pb.start();
        Worker w = new Worker(p, started.incrementAndGet());
        all.add(w);
        Object first = w.frames.poll(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (first instanceof Frame f && f.kind == 'R') return w;
        kill(w);
        String why;
        if (first == null) {
            why = "did not start within " + START_TIMEOUT_MS + " ms";
        } else {
            try {
                p.waitFor(2, TimeUnit.SECONDS); // let stderr drain
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String err = w.stderrTail().strip();
            String[] lines = err.split("\n");
            why = "failed to start: " + (err.isEmpty() ? "no output" : lines[lines.length - 1].strip());
        }
        throw new IOException("extraction worker process " + why);
    }

    List<String> command() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Xmx" + config.workerHeapMb() + "m");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.add("-XX:+UseSerialGC");
        // C1 only: on many small, varied files C2 compilation costs more than it wins (measured 3x faster on
        // tika-test-documents and neardup-small with 2 children on 2 cores); override with workerJvmOptions
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:-UsePerfData");
        // JVM log output (e.g. JFR's "Started recording") goes to stdout by default and would corrupt the protocol
        cmd.add("-Xlog:disable");
        cmd.add("-Xlog:all=warning:stderr");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Ddoppel.ocr.dpi=" + ParseCore.OCR_DPI);
        String opts = System.getProperty(JVM_OPTIONS_PROPERTY, "").trim();
        if (!opts.isEmpty()) cmd.addAll(List.of(opts.split("\\s+")));
        cmd.addAll(extraJvmArgs);
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(ExtractionWorker.class.getName());
        cmd.add(Long.toString(config.maxFileBytes()));
        cmd.add(Long.toString(config.timeoutMillis()));
        cmd.add(Integer.toString(config.maxChars()));
        cmd.add(config.ocr().label());
        cmd.add(Integer.toString(config.maxDepth()));
        cmd.add(Integer.toString(config.maxEmbedded()));
        cmd.add(Long.toString(config.expandedBytesLimit()));
        return cmd;
    }

    /**
     * {@code java.class.path}, plus the jars of this module and of Tika when they are not on it (Spark executors load
     * application jars through a class loader); {@code -Ddoppel.extractor.classpath} replaces the whole value.
     */
    static String classpath() {
        String override = System.getProperty("doppel.extractor.classpath");
        if (override != null && !override.isBlank()) return override;
        Set<String> parts = new LinkedHashSet<>();
        for (String s : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!s.isBlank()) parts.add(s);
        }
        for (Class<?> c : new Class<?>[] {ExtractionWorker.class, org.apache.tika.parser.AutoDetectParser.class,
                org.apache.tika.parser.pdf.PDFParser.class, org.apache.tika.parser.ocr.TesseractOCRParser.class}) {
            try {
                var src = c.getProtectionDomain().getCodeSource();
                if (src != null && src.getLocation() != null) {
                    String loc = Path.of(src.getLocation().toURI()).toString();
                    parts.add(loc); // a set: no duplicates; harmless next to a manifest-only jar
                }
            } catch (URISyntaxException | RuntimeException ignored) {
                // keep what we have
            }
        }
        return String.join(File.pathSeparator, parts);
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : new ArrayList<>(all)) {
            try {
                synchronized (w.out) {
                    w.out.writeInt(ExtractionWorker.MAGIC);
                    w.out.writeByte('Q');
                    w.out.flush();
                }
            } catch (IOException ignored) {
                // gone already
            }
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        for (Worker w : new ArrayList<>(all)) {
            try {
                long left = until - System.nanoTime();
                if (left > 0) w.proc.waitFor(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Worker w : new ArrayList<>(all)) kill(w);
        idle.clear();
    }

    /** A frame read from a child (embedded documents arrive as {@link ExtractedDocument}s). */
    record Frame(int kind, String[] fields) {}

    /** End of the child's output (it exited or wrote something that is not a frame). */
    record Eof(String why) {}

    /** One child JVM, its stdin writer, and a daemon thread that turns its stdout into frames. */
    static final class Worker {
        final Process proc;
        final int id;
        final DataOutputStream out;
        final LinkedBlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        int files; // parses served; guarded by the pool's permit (one user at a time)
        private final byte[] errTail = new byte[4096];
        private int errLen;

        Worker(Process proc, int id) {
            this.proc = proc;
            this.id = id;
            this.out = new DataOutputStream(new BufferedOutputStream(proc.getOutputStream(), 1 << 16));
            Thread r = new Thread(this::readFrames, "doppel-worker-" + id + "-out");
            r.setDaemon(true);
            r.start();
            Thread e = new Thread(this::drainStderr, "doppel-worker-" + id + "-err");
            e.setDaemon(true);
            e.start();
        }

        private void readFrames() {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(proc.getInputStream(), 1 << 16))) {
                skipToFirstFrame(in);
                while (true) {
                    int magic = in.readInt();
                    if (magic != ExtractionWorker.MAGIC) {
                        frames.add(new Eof("unexpected output from the worker"));
                        return;
                    }
                    int kind = in.readUnsignedByte();
                    switch (kind) {
                        case 'R' -> frames.add(new Frame(kind, new String[0]));
                        case 'D' -> frames.add(new Frame(kind, new String[] {ExtractionWorker.readString(in)}));
                        case 'C' -> frames.add(ExtractionWorker.readEmbedded(in));
                        case 'E' -> frames.add(new Frame(kind, new String[] {ExtractionWorker.readString(in),
                                ExtractionWorker.readString(in), ExtractionWorker.readString(in),
                                ExtractionWorker.readString(in)}));
                        default -> {
                            frames.add(new Eof("unknown frame " + kind));
                            return;
                        }
                    }
                }
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                frames.add(new Eof(e.getClass().getSimpleName()));
            }
        }

        /**
         * Skips what the JVM itself printed on stdout before the child took it over (e.g. JFR's "Started recording"
         * when -XX:StartFlightRecording is among the child's options), up to 64 KiB, into the stderr tail.
         */
        private void skipToFirstFrame(DataInputStream in) throws IOException {
            int window = 0;
            for (int n = 0; n < 64 * 1024; n++) {
                in.mark(4);
                window = in.readInt();
                in.reset();
                if (window == ExtractionWorker.MAGIC) return;
                int b = in.readUnsignedByte();
                synchronized (errTail) {
                    if (errLen == errTail.length) System.arraycopy(errTail, 1, errTail, 0, --errLen);
                    errTail[errLen++] = (byte) b;
                }
            }
        }

        private void drainStderr() {
            byte[] buf = new byte[8192];
            try (InputStream err = proc.getErrorStream()) {
                int k;
                while ((k = err.read(buf)) >= 0) {
                    synchronized (errTail) {
                        if (k >= errTail.length) {
                            System.arraycopy(buf, k - errTail.length, errTail, 0, errTail.length);
                            errLen = errTail.length;
                        } else {
                            int keep = Math.min(errLen, errTail.length - k);
                            System.arraycopy(errTail, errLen - keep, errTail, 0, keep);
                            System.arraycopy(buf, 0, errTail, keep, k);
                            errLen = keep + k;
                        }
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }

        /** The last few KiB the child wrote to stderr. */
        String stderrTail() {
            synchronized (errTail) {
                return new String(errTail, 0, errLen, StandardCharsets.UTF_8);
            }
        }

        void send(String name, String path, String sha256, long timeoutMillis, byte[] bytes) throws IOException {
            synchronized (out) {
                out.writeInt(ExtractionWorker.MAGIC);
                out.writeByte('P');
                ExtractionWorker.writeString(out, name);
                ExtractionWorker.writeString(out, path);
                ExtractionWorker.writeString(out, sha256);
                out.writeLong(timeoutMillis);
                out.writeInt(bytes.length);
                out.write(bytes);
                out.flush();
            }
        }
    }
}
