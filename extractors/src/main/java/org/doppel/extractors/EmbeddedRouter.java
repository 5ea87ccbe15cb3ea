package org.doppel.extractors;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.tika.detect.Detector;
import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.io.TemporaryResources;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.pkg.CompressorParser;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Decides, for each embedded item Tika reports while parsing one document, whether it becomes a document of its own
 * or part of this document's text.
 *
 * <ul>
 *   <li>Entries of archives ({@link #ARCHIVES}) and attachments of e-mails ({@link #MAIL}: everything the mail
 *       parser does not mark as an inline part) become documents, extracted by {@link ParseCore#extractEmbedded}.
 *   <li>A compressed stream (gzip, bzip2, xz, ...) is a wrapper, not a container: its content is parsed in place,
 *       so the entries of {@code a.tar.gz} are {@code a.tar.gz!/x} and {@code notes.txt.gz} keeps its text.
 *   <li>Everything else (pictures and objects inside Office files and PDFs, inline mail parts, anything below a
 *       document parsed in place) is parsed into this document's text as Tika does, except pictures unless
 *       OCR is on (their OCR text would be missing from other renditions of the same document).
 * </ul>
 * One per parse of one document; not thread-safe (Tika calls it from the parsing thread).
 */
final class EmbeddedRouter extends ParsingEmbeddedDocumentExtractor {

    static final Set<String> ARCHIVES = Set.of("application/zip", "application/x-tar", "application/x-gtar",
            "application/x-7z-compressed", "application/x-rar-compressed", "application/vnd.rar", "application/x-cpio");
    /** Not PST: Tika hands its messages over as open libpst objects, not bytes (a PST stays one document). */
    static final Set<String> MAIL = Set.of("message/rfc822", "application/vnd.ms-outlook", "application/mbox");
    static final Set<String> COMPRESSED = new CompressorParser().getSupportedTypes(new ParseContext()).stream()
            .map(t -> t.getBaseType().toString()).collect(Collectors.toUnmodifiableSet());

    /** A document being parsed in place below this one: its type, and whether its entries may still be split off. */
    private record Layer(String type, boolean splits) {}

    private final ParseCore core;
    private final Expansion.Frame frame;
    private final Detector detector;
    private final boolean skipImages;
    private final long timeoutMillis;
    /** The document itself at the bottom, documents parsed in place above it; the top one owns the next item. */
    private final Deque<Layer> layers = new ArrayDeque<>();

    EmbeddedRouter(ParseContext ctx, ParseCore core, Expansion.Frame frame, boolean skipImages, long timeoutMillis) {
        super(ctx);
        this.core = core;
        this.frame = frame;
        this.detector = core.detector();
        this.skipImages = skipImages;
        this.timeoutMillis = timeoutMillis;
        setWriteFileNameToContent(false); // entry names are not document text
        layers.push(new Layer(frame.mediaType, frame.expansion().maxDepth() > 0));
    }

    @Override
    public boolean shouldParseEmbedded(Metadata metadata) {
        if (!super.shouldParseEmbedded(metadata)) return false;
        if (isDocument(metadata)) return frame.expansion().stopped() == null && frame.mayNest();
        return !(skipImages && isImage(metadata));
    }

    @Override
    public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
            throws SAXException, IOException {
        if (isDocument(metadata)) {
            if (frame.expansion().stopped() != null) throw new Expansion.Stopped(frame.expansion().stopped());
            if (frame.mayNest()) core.extractEmbedded(frame, stream, metadata, mailbox(), timeoutMillis);
            return; // (checked again: not every parser asks shouldParseEmbedded first)
        }
        Layer owner = layers.peek();
        try (TemporaryResources tmp = new TemporaryResources()) {
            InputStream in = stream;
            String type = null;
            boolean splits = owner.splits() && COMPRESSED.contains(owner.type());
            if (splits) { // a decompressed stream: what is it (a tar, whose entries are split off)?
                TikaInputStream tis = TikaInputStream.get(stream, tmp, metadata);
                type = ParseCore.base(detector.detect(tis, metadata));
                in = tis;
            }
            layers.push(new Layer(type, splits));
            try {
                super.parseEmbedded(in, handler, metadata, outputHtml);
            } finally {
                layers.pop();
            }
        }
    }

    /** Whether the item becomes a document of its own: it is an entry of an archive or an attachment of a mail. */
    private boolean isDocument(Metadata metadata) {
        Layer owner = layers.peek();
        if (!owner.splits() || owner.type() == null) return false;
        if (ARCHIVES.contains(owner.type())) return true;
        return MAIL.contains(owner.type()) && !TikaCoreProperties.EmbeddedResourceType.INLINE.toString()
                .equals(metadata.get(TikaCoreProperties.EMBEDDED_RESOURCE_TYPE));
    }

    private boolean mailbox() {
        return "application/mbox".equals(layers.peek().type());
    }

    private boolean isImage(Metadata metadata) {
        try {
            MediaType t = detector.detect(null, metadata); // by name and declared type only
            return t != null && "image".equals(t.getType());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
