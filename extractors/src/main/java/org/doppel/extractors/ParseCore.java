package org.doppel.extractors;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.EntryUtils;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
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
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;
import org.apache.tika.sax.BodyContentHandler;
import org.apache.tika.sax.ContentHandlerDecorator;
import org.apache.tika.sax.WriteOutContentHandler;
import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Detect + parse + classify + normalise one in-memory file. Used on a worker thread ({@code isolation=thread}) and
 * inside the child JVM ({@link ExtractionWorker}, {@code isolation=process}). Thread-safe.
 */
final class ParseCore {

    /** System property naming a {@link Parser} class to use instead of Tika's default parser (tests only). */
    static final String PARSER_PROPERTY = "doppel.extractor.parser";
    private static final int MAX_DETAIL = 400;
    /** Resolution PDF pages are rendered at for OCR ({@code -Ddoppel.ocr.dpi}; default 200; Tika's is 300). */
    static final int OCR_DPI = Integer.getInteger("doppel.ocr.dpi", 200);

    /** Outcome of parsing one file: everything except path, size, hash and time. */
    record Result(ExtractionStatus status, String detail, String mediaType, String text) {}

    private final ExtractorConfig config;
    private final AutoDetectParser parser;
    private final Detector detector;
    private final MediaTypeRegistry registry;
    private final Map<MediaType, Boolean> parsable = new ConcurrentHashMap<>();

    ParseCore(ExtractorConfig config, AutoDetectParser parser) {
        this.config = config;
        TikaConfig tika = TikaConfig.getDefaultConfig();
        this.parser = parser != null ? parser : defaultParser(tika);
        this.detector = this.parser.getDetector();
        this.registry = tika.getMediaTypeRegistry();
    }

    private static AutoDetectParser defaultParser(TikaConfig tika) {
        String cls = System.getProperty(PARSER_PROPERTY);
        if (cls == null || cls.isBlank()) return new AutoDetectParser(tika);
        try {
            var ctor = Class.forName(cls.trim()).getDeclaredConstructor();
            ctor.setAccessible(true);
            return new AutoDetectParser((Parser) ctor.newInstance());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot create parser " + cls + ": " + e, e);
        }
    }

    Detector detector() {
        return detector;
    }

    /**
     * Parses an input file held in {@code bytes}; {@code onDetected} gets the detected media type before parsing
     * starts; documents embedded in containers are extracted as documents of their own and handed to {@code sink}
     * as they are finished (see {@link Expansion}). Never throws.
     */
    Result parse(byte[] bytes, String name, String path, String sha256, long timeoutMillis, Consumer<String> onDetected,
                 Consumer<ExtractedDocument> sink) {
        Expansion expansion = new Expansion(config, sink);
        return parse(bytes, name, timeoutMillis, onDetected, expansion.root(path, sha256));
    }

    private Result parse(byte[] bytes, String name, long timeoutMillis, Consumer<String> onDetected,
                         Expansion.Frame frame) {
        String mediaType = null;
        Throwable failure = null;
        int embeddedFailures = 0;
        int embeddedEncrypted = 0;
        String raw = "";
        if (bytes.length == 0) {
            frame.mediaType = detectByName(name);
            if (onDetected != null) onDetected.accept(frame.mediaType);
            return new Result(ExtractionStatus.EMPTY, "zero-byte file", frame.mediaType, "");
        }
        try {
            Metadata md = new Metadata();
            md.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
            WriteOutContentHandler out = new WriteOutContentHandler(config.maxChars());
            try (TikaInputStream in = TikaInputStream.get(bytes, md)) {
                MediaType type = detector.detect(in, md);
                md.set(TikaCoreProperties.CONTENT_TYPE_USER_OVERRIDE, type.toString()); // AutoDetectParser: no 2nd detection
                mediaType = base(type);
                frame.mediaType = mediaType;
                if (onDetected != null) onDetected.accept(mediaType);
                if (!hasRealParser(type)) {
                    if ("application/pgp-encrypted".equals(mediaType)) {
                        return new Result(ExtractionStatus.ENCRYPTED, "encrypted (PGP)", mediaType, "");
                    }
                    return new Result(ExtractionStatus.UNSUPPORTED, "no parser for media type " + mediaType,
                            mediaType, "");
                }
                ParseContext ctx = new ParseContext();
                ctx.set(Parser.class, parser); // parse embedded documents / attachments too
                configureOcr(ctx, timeoutMillis);
                ctx.set(EmbeddedDocumentExtractor.class, new EmbeddedRouter(ctx, this, frame,
                        config.ocr() != ExtractorConfig.OcrMode.ON, timeoutMillis));
                parser.parse(in, new PageBreakHandler(new BodyContentHandler(out)), md, ctx);
            } catch (Throwable t) {
                failure = t;
            }
            String ct = base(md.get(Metadata.CONTENT_TYPE));
            if (ct != null) mediaType = ct;
            String[] embedded = md.getValues(TikaCoreProperties.TIKA_META_EXCEPTION_EMBEDDED_STREAM);
            embeddedFailures = embedded == null ? 0 : embedded.length;
            if (embedded != null) {
                for (String e : embedded) if (e != null && ENCRYPTED_TRACE.matcher(e).find()) embeddedEncrypted++;
            }
            if (failure == null) raw = out.toString();
            // an archive's own "text" is the names of entries Tika could not read: its entries are the documents
            if (config.maxDepth() > 0 && (EmbeddedRouter.ARCHIVES.contains(frame.mediaType)
                    || EmbeddedRouter.ARCHIVES.contains(mediaType))) {
                raw = "";
            }
        } catch (Throwable t) {
            failure = t;
        }
        if (frame.limit != null) { // a container limit cut the parse short, whatever the parser made of that
            return new Result(ExtractionStatus.TOO_LARGE, frame.limit + extracted(frame, " before"), mediaType, "");
        }
        if (failure != null) {
            Result o = classify(failure);
            return new Result(o.status, o.detail + extracted(frame, " before the failure"), mediaType, "");
        }
        if (raw.length() >= config.maxChars()) {
            return new Result(ExtractionStatus.TOO_LARGE, "text exceeds " + config.maxChars() + " chars", mediaType, "");
        }
        if ("application/pdf".equals(mediaType)) raw = TextNormalizer.removeRepeatedPageLines(raw);
        String text = TextNormalizer.normalize(raw);
        String encrypted = embeddedEncrypted + " embedded item(s) encrypted";
        if (text.isEmpty() && frame.children > 0) { // an archive: its entries are the documents
            return new Result(ExtractionStatus.EMPTY, "no text of its own" + extracted(frame, "")
                    + (embeddedEncrypted > 0 ? "; " + encrypted + ", not extracted" : ""), mediaType, "");
        }
        if (text.isEmpty() && embeddedEncrypted > 0) {
            return new Result(ExtractionStatus.ENCRYPTED, "encrypted or password protected: " + encrypted
                    + ", no other text", mediaType, "");
        }
        if (text.isEmpty()) {
            return new Result(ExtractionStatus.EMPTY,
                    "no text extracted" + (mediaType != null ? " (" + mediaType + ")" : ""), mediaType, "");
        }
        String detail = embeddedFailures > 0 ? embeddedFailures + " embedded item(s) could not be parsed" : "";
        if (frame.children > 0) detail = extracted(frame, "").substring(2) + (detail.isEmpty() ? "" : "; " + detail);
        return new Result(ExtractionStatus.OK, detail, mediaType, text);
    }

    /** "; N embedded document(s) extracted as separate records{suffix}", or "" for a document without any. */
    private static String extracted(Expansion.Frame frame, String suffix) {
        return frame.children == 0 ? ""
                : "; " + frame.children + " embedded document(s) extracted as separate records" + suffix;
    }

    /**
     * Extracts one entry of an archive or attachment of a mail that is being parsed ({@code container}) as a
     * document of its own: reads its bytes (counted against the expansion's limits), parses them like an input file
     * (its own embedded documents are extracted in turn) and hands the record to the expansion's sink. Throws
     * {@link Expansion.Stopped} when a count or byte limit stops the expansion (the container's parser gives up).
     */
    void extractEmbedded(Expansion.Frame container, InputStream stream, Metadata md, boolean mailbox, long timeoutMillis)
            throws IOException {
        Expansion x = container.expansion();
        String refused = x.admit();
        if (refused != null) throw x.stop(container, refused);
        String name = container.childName(md, mailbox);
        String path = container.path + "!/" + name;
        String leaf = name.substring(name.lastIndexOf('/') + 1);
        Date date = md.getDate(TikaCoreProperties.MODIFIED);
        long modified = date == null ? 0 : date.getTime();
        String byName = detectByName(leaf);
        Expansion.Read read;
        try {
            read = x.read(container, oleAsBytes(stream), contentLength(md));
        } catch (Expansion.Stopped e) {
            emitChild(container, new ExtractedDocument(path, -1, null, byName, "", ExtractionStatus.TOO_LARGE,
                    e.getMessage() + " (reading stopped here)", modified, container.path, List.of()));
            throw e;
        } catch (IOException | RuntimeException e) {
            emitChild(container, new ExtractedDocument(path, -1, null, byName, "", ExtractionStatus.CORRUPT,
                    "cannot read the embedded document: " + summary(e), modified, container.path, List.of()));
            throw e;
        }
        Expansion.Frame same = read.bytes() == null ? null : container.sameBytes(read.sha256());
        Result r;
        if (read.bytes() == null) {
            r = new Result(ExtractionStatus.TOO_LARGE, "embedded file is " + read.size() + " bytes, limit "
                    + x.maxFileBytes(), byName, "");
        } else if (same != null) {
            r = new Result(ExtractionStatus.TOO_LARGE, "same bytes as " + same.path
                    + " (a container that contains itself): not expanded", byName, "");
        } else {
            r = parse(read.bytes(), leaf, timeoutMillis, null, container.child(path, read.sha256()));
        }
        emitChild(container, new ExtractedDocument(path, read.size(), read.sha256(), r.mediaType(), r.text(),
                r.status(), r.detail(), modified, container.path, List.of()));
        if (x.stopped() != null) throw new Expansion.Stopped(x.stopped());
    }

    private static void emitChild(Expansion.Frame container, ExtractedDocument d) {
        container.children++;
        container.expansion().emit(d);
    }

    private static long contentLength(Metadata md) {
        try {
            String v = md.get(Metadata.CONTENT_LENGTH);
            return v == null ? 0 : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * An attachment that is itself an OLE2 document (a .msg or .doc attached to a .msg) reaches us as an open POIFS
     * directory with no bytes: write it out as a file of its own.
     */
    private static InputStream oleAsBytes(InputStream stream) throws IOException {
        if (stream instanceof TikaInputStream tis && tis.getOpenContainer() instanceof DirectoryEntry dir) {
            try (POIFSFileSystem fs = new POIFSFileSystem()) {
                EntryUtils.copyNodes(dir, fs.getRoot());
                if (dir.getStorageClsid() != null) fs.getRoot().setStorageClsid(dir.getStorageClsid());
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                fs.writeFilesystem(bytes);
                return new ByteArrayInputStream(bytes.toByteArray());
            }
        }
        return stream;
    }

    /** Media type from a file name alone (for documents that are not parsed); null if unknown. */
    String detectByName(String name) {
        try {
            Metadata md = new Metadata();
            if (name != null && !name.isEmpty()) md.set(TikaCoreProperties.RESOURCE_NAME_KEY, name);
            return base(detector.detect(null, md));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void configureOcr(ParseContext ctx, long timeoutMillis) {
        PDFParserConfig pdf = new PDFParserConfig();
        TesseractOCRConfig ocr = new TesseractOCRConfig();
        switch (config.ocr()) {
            case OFF -> {
                pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
                ocr.setSkipOcr(true);
            }
            case ON -> pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.OCR_AND_TEXT_EXTRACTION);
            default -> pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.AUTO);
        }
        pdf.setOcrDPI(OCR_DPI);
        ocr.setTimeoutSeconds((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis / 1000 + 1)));
        ctx.set(PDFParserConfig.class, pdf);
        ctx.set(TesseractOCRConfig.class, ocr);
    }

    /** Writes a form feed at the start of every PDF page ({@code <div class="page">}) so pages can be told apart. */
    private static final class PageBreakHandler extends ContentHandlerDecorator {
        private static final char[] FF = {'\f'};

        PageBreakHandler(ContentHandler h) {
            super(h);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            super.startElement(uri, localName, qName, atts);
            if ("div".equals(localName) && atts != null && "page".equals(atts.getValue("class"))) {
                super.characters(FF, 0, 1);
            }
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

    static String base(MediaType t) {
        return t == null ? null : t.getBaseType().toString();
    }

    static String base(String contentType) {
        if (contentType == null || contentType.isBlank()) return null;
        MediaType t = MediaType.parse(contentType);
        return t == null ? contentType.trim() : t.getBaseType().toString();
    }

    Result classify(Throwable failure) {
        String tooMuch = "text exceeds " + config.maxChars() + " chars";
        if (WriteLimitReachedException.isWriteLimitReached(failure)) return outcome(ExtractionStatus.TOO_LARGE, tooMuch);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof WriteLimitReachedException) return outcome(ExtractionStatus.TOO_LARGE, tooMuch);
            if (t instanceof EncryptedDocumentException || looksEncrypted(t)) {
                return outcome(ExtractionStatus.ENCRYPTED, "encrypted or password protected: " + summary(failure));
            }
            if (t instanceof ZeroByteFileException) return outcome(ExtractionStatus.EMPTY, "zero-byte content");
            if (t instanceof UnsupportedFormatException) {
                return outcome(ExtractionStatus.UNSUPPORTED, "unsupported format: " + summary(failure));
            }
            if (t instanceof OutOfMemoryError) return outcome(ExtractionStatus.TOO_LARGE, "out of memory while parsing");
            if (t instanceof StackOverflowError) {
                return outcome(ExtractionStatus.CORRUPT, "stack overflow while parsing (too deeply nested?)");
            }
        }
        String rootMsg = rootMessage(failure);
        if (NOT_SUPPORTED.matcher(rootMsg).find()) {
            return outcome(ExtractionStatus.UNSUPPORTED, "unsupported variant: " + summary(failure));
        }
        if (failure instanceof InterruptedException || failure.getCause() instanceof InterruptedException) {
            return outcome(ExtractionStatus.ERROR, "parse interrupted");
        }
        if (failure instanceof Error) {
            return outcome(ExtractionStatus.ERROR, "internal error while parsing: " + summary(failure));
        }
        return outcome(ExtractionStatus.CORRUPT, summary(failure));
    }

    private static Result outcome(ExtractionStatus s, String detail) {
        return new Result(s, detail, null, "");
    }

    /** Parser messages that mean "valid but unsupported variant", e.g. POI's "Strict OOXML isn't currently supported". */
    private static final Pattern ENCRYPTED_TRACE = Pattern.compile(
            "EncryptedDocumentException|InvalidPasswordException|PasswordRequiredException|(?i)encrypted");

    private static final Pattern NOT_SUPPORTED = Pattern.compile("(?i)\\b(isn't|is not|not) (currently |yet )?supported\\b");

    private static String rootMessage(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
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
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
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
        return shorten(s);
    }

    static String shorten(String s) {
        return s.length() > MAX_DETAIL ? s.substring(0, MAX_DETAIL - 3) + "..." : s;
    }

    private static String one(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.trim());
    }
}
