package org.doppel.extractors;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.nio.charset.StandardCharsets;

/**
 * Main class of the child JVM that {@link TikaExtractor} runs parsers in ({@code isolation=process}).
 *
 * <p>Protocol over stdin/stdout, big-endian, strings are {@code int length + UTF-8 bytes} ({@code -1} = null):
 * <pre>
 * parent -> child:  'P' name:str path:str sha256:str timeoutMillis:long length:int bytes[length]  parse one file
 *                   'Q'                                                          quit
 * child -> parent:  'R'                                                          ready (once, after start)
 *                   'D' mediaType:str                                            detected, parse starting
 *                   'C' path:str parent:str size:long sha256:str mediaType:str status:str detail:str text:str
 *                       modified:long                                            one embedded document, as finished
 *                   'E' status:str detail:str mediaType:str text:str             result
 * </pre>
 * Every frame starts with the 4-byte magic {@code DPL1} so that stray output is detected. {@code System.out} is
 * redirected to stderr, so parsers that print cannot corrupt the stream. Args: maxFileBytes timeoutMillis maxChars
 * ocr(label) maxDepth maxEmbedded maxExpandedBytes.
 */
public final class ExtractionWorker {

    static final int MAGIC = 0x44504C31; // "DPL1"
    static final int MAX_STRING_BYTES = Integer.MAX_VALUE - 16;

    private ExtractionWorker() {}

    public static void main(String[] args) throws Exception {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 1 << 16));
        ExtractorConfig cfg = new ExtractorConfig(Long.parseLong(args[0]), Long.parseLong(args[1]),
                Integer.parseInt(args[2]), ExtractorConfig.Isolation.THREAD, 0, 1,
                ExtractorConfig.OcrMode.fromLabel(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                Long.parseLong(args[6]));
        Throwable[] fail = new Throwable[1];
        // a big stack, like the in-process workers: deeply nested documents recurse deeply
        Thread t = new Thread(null, () -> {
            try {
                loop(cfg, in, out);
            } catch (Throwable e) {
                fail[0] = e;
            }
        }, "doppel-worker", 16L * 1024 * 1024);
        t.start();
        t.join();
        if (fail[0] != null) System.err.println("doppel worker failed: " + ParseCore.summary(fail[0]));
        System.exit(fail[0] == null ? 0 : 1);
    }

    private static void loop(ExtractorConfig cfg, DataInputStream in, DataOutputStream out) throws IOException {
        ParseCore core = new ParseCore(cfg, null);
        synchronized (out) {
            out.writeInt(MAGIC);
            out.writeByte('R');
            out.flush();
        }
        while (true) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                return; // parent closed stdin or died
            }
            if (magic != MAGIC) throw new IOException("bad frame");
            int kind = in.readUnsignedByte();
            if (kind == 'Q') return;
            if (kind != 'P') throw new IOException("unknown request " + kind);
            String name = readString(in);
            String path = readString(in);
            String sha = readString(in);
            long timeout = in.readLong();
            int len = in.readInt();
            byte[] bytes = new byte[len];
            in.readFully(bytes);
            ParseCore.Result r = core.parse(bytes, name == null ? "" : name, path, sha, timeout, type -> {
                try {
                    synchronized (out) {
                        out.writeInt(MAGIC);
                        out.writeByte('D');
                        writeString(out, type);
                        out.flush();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, d -> {
                try {
                    synchronized (out) {
                        out.writeInt(MAGIC);
                        out.writeByte('C');
                        writeString(out, d.path());
                        writeString(out, d.parent());
                        out.writeLong(d.sizeBytes());
                        writeString(out, d.sha256());
                        writeString(out, d.mediaType());
                        writeString(out, d.status().label());
                        writeString(out, d.statusDetail());
                        writeString(out, d.text());
                        out.writeLong(d.modifiedMillis());
                        out.flush(); // the parent keeps what arrived if this file times out
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            bytes = null;
            synchronized (out) {
                out.writeInt(MAGIC);
                out.writeByte('E');
                writeString(out, r.status().label());
                writeString(out, r.detail());
                writeString(out, r.mediaType());
                writeString(out, r.text());
                out.flush();
            }
        }
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        if (n > MAX_STRING_BYTES) throw new IOException("string too long: " + n);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Reads the body of a 'C' frame. */
    static ExtractedDocument readEmbedded(DataInputStream in) throws IOException {
        String path = readString(in);
        String parent = readString(in);
        long size = in.readLong();
        String sha = readString(in);
        String mediaType = readString(in);
        ExtractionStatus status = ExtractionStatus.fromLabel(readString(in));
        String detail = readString(in);
        String text = readString(in);
        long modified = in.readLong();
        return new ExtractedDocument(path, size, sha, mediaType, text, status, detail, modified, parent, List.of());
    }
}
