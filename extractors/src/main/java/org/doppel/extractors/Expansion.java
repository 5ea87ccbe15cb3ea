package org.doppel.extractors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;

/**
 * The splitting of one input file's containers into documents of their own: the limits, what has been used of them,
 * and where the embedded documents go. One per input file, used by the one thread that parses it (the parse of an
 * embedded document runs inside its container's parse, recursively).
 *
 * <p>Limits: embedded documents nest at most {@code maxDepth} levels; at most {@code maxEmbedded} of them and at most
 * {@code expandedBytesLimit} bytes of them (decompressed, all levels together) are read per input file. Crossing the
 * depth limit makes the container whose entries are too deep {@code too_large}; crossing a count or byte limit
 * stops the whole expansion and makes every container being parsed at that moment {@code too_large}. Documents
 * extracted before stay.
 */
final class Expansion {

    /** Thrown out of a container's parse when the expansion stopped, so the parsers above give up too. */
    static final class Stopped extends IOException {
        Stopped(String why) {
            super(why);
        }
    }

    /** An embedded document's bytes: {@code bytes} is null when it is larger than maxFileBytes. */
    record Read(byte[] bytes, long size, String sha256) {}

    private final int maxDepth;
    private final int maxEmbedded;
    private final long maxBytes;
    private final long maxFileBytes;
    private final Consumer<ExtractedDocument> sink;
    private long bytes;
    private int documents;
    private String stopped;

    Expansion(ExtractorConfig config, Consumer<ExtractedDocument> sink) {
        this.maxDepth = config.maxDepth();
        this.maxEmbedded = config.maxEmbedded();
        this.maxBytes = config.expandedBytesLimit();
        this.maxFileBytes = Math.min(config.maxFileBytes(), Integer.MAX_VALUE - 16L);
        this.sink = sink != null ? sink : d -> { };
    }

    /** The input file itself. */
    Frame root(String path, String sha256) {
        return new Frame(null, path, 0, sha256);
    }

    int maxDepth() {
        return maxDepth;
    }

    long maxFileBytes() {
        return maxFileBytes;
    }

    /** Why the expansion stopped, or null. */
    String stopped() {
        return stopped;
    }

    void emit(ExtractedDocument d) {
        sink.accept(d);
    }

    /** Stops the expansion: {@code at} and every container above it are marked. */
    Stopped stop(Frame at, String why) {
        if (stopped == null) stopped = why;
        for (Frame f = at; f != null; f = f.parent) if (f.limit == null) f.limit = stopped;
        return new Stopped(stopped);
    }

    /** Counts one more embedded document; null if allowed, else why not. */
    String admit() {
        if (documents >= maxEmbedded) return "more than " + maxEmbedded + " embedded documents in one input file";
        documents++;
        return null;
    }

    /**
     * Reads an embedded document through a SHA-256 digest, counting its bytes against the budget; keeps the bytes
     * only up to maxFileBytes. Throws (after stopping the expansion at {@code container}) when the budget runs out.
     */
    Read read(Frame container, InputStream in, long sizeHint) throws IOException {
        MessageDigest md = TextNormalizer.newSha256();
        int initial = (int) Math.max(8192, Math.min(sizeHint, Math.min(maxFileBytes, 1 << 24)));
        ByteArrayOutputStream kept = new ByteArrayOutputStream(initial);
        byte[] buf = new byte[1 << 16];
        long size = 0;
        int k;
        while ((k = in.read(buf)) >= 0) {
            if (k == 0) continue;
            if (bytes + k > maxBytes) {
                throw stop(container, "embedded documents of one input file exceed " + maxBytes + " bytes");
            }
            bytes += k;
            md.update(buf, 0, k);
            if (size + k <= maxFileBytes) kept.write(buf, 0, k);
            size += k;
        }
        return new Read(size <= maxFileBytes ? kept.toByteArray() : null, size, HexFormat.of().formatHex(md.digest()));
    }

    /** One document in the container tree: the input file (depth 0) or an embedded document. */
    final class Frame {
        final Frame parent;
        final String path;
        final int depth;
        final String sha256;
        /** Detected media type, set before the document is parsed. */
        String mediaType;
        /** Records of embedded documents handed out for this one (direct children). */
        int children;
        /** Why this container's expansion was cut short (it is too_large then), or null. */
        String limit;
        private final Set<String> names = new HashSet<>();
        private int unnamed;

        private Frame(Frame parent, String path, int depth, String sha256) {
            this.parent = parent;
            this.path = path;
            this.depth = depth;
            this.sha256 = sha256;
        }

        Expansion expansion() {
            return Expansion.this;
        }

        /** Whether an embedded document of this one may still be extracted (depth); if not, this one is cut short. */
        boolean mayNest() {
            if (depth < maxDepth) return true;
            if (limit == null) {
                limit = "embedded documents nested deeper than " + maxDepth + " levels not extracted";
            }
            return false;
        }

        Frame child(String path, String sha256) {
            return new Frame(this, path, depth + 1, sha256);
        }

        /** This document or a container above it with these bytes (a container that contains itself), or null. */
        Frame sameBytes(String sha) {
            for (Frame f = this; f != null; f = f.parent) if (sha != null && sha.equals(f.sha256)) return f;
            return null;
        }

        /**
         * Name of an embedded document inside this one, unique among its siblings: the entry path or attachment
         * file name Tika reports (backslashes as slashes, no leading slash or "./"), {@code message-N.eml} for
         * unnamed messages of a mailbox, {@code embedded-N} for other unnamed items; a repeated name gets
         * {@code #2}, {@code #3}...
         */
        String childName(Metadata md, boolean mailbox) {
            String name = md.get(TikaCoreProperties.RESOURCE_NAME_KEY);
            if (name != null) {
                name = name.replace('\\', '/').replaceAll("/{2,}", "/").strip();
                while (name.startsWith("/") || name.startsWith("./")) name = name.substring(name.startsWith("/") ? 1 : 2);
            }
            if (name == null || name.isEmpty()) {
                unnamed++;
                name = mailbox ? "message-" + unnamed + ".eml" : "embedded-" + unnamed;
            }
            String unique = name;
            for (int n = 2; !names.add(unique); n++) unique = name + "#" + n;
            return unique;
        }
    }
}
