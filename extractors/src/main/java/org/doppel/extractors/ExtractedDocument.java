package org.doppel.extractors;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One input file, or one document embedded in a container file (archive entry, e-mail attachment), after extraction.
 *
 * @param path           the path as reported (relative to its input folder); an embedded document's path is its
 *                       container's path + {@code !/} + its name inside the container ({@code mail.eml!/a.zip!/b.pdf})
 * @param sizeBytes      size in bytes (-1 if it could not be read)
 * @param sha256         lower-case hex SHA-256 of the bytes; null if the bytes could not be read
 * @param mediaType      detected media type without parameters (e.g. {@code application/pdf}); null if unknown
 * @param text           normalised text; never null; "" unless status is ok
 * @param status         outcome
 * @param statusDetail   why, in words; never null ("" for a plain ok)
 * @param modifiedMillis last-modified time in epoch millis (0 if unknown); an embedded document without its own date
 *                       has its input file's
 * @param parent         path of the container this document was extracted from; null for an input file
 * @param embedded       every document extracted from this input file's containers, all levels, sorted by path (a
 *                       container comes before its entries); empty for embedded documents themselves
 */
public record ExtractedDocument(String path, long sizeBytes, String sha256, String mediaType, String text,
                                ExtractionStatus status, String statusDetail, long modifiedMillis,
                                String parent, List<ExtractedDocument> embedded)
        implements Serializable {

    public ExtractedDocument {
        if (text == null) text = "";
        if (statusDetail == null) statusDetail = "";
        if (status == null) status = ExtractionStatus.ERROR;
        embedded = embedded == null ? List.of() : List.copyOf(embedded);
    }

    /** An input file with no embedded documents. */
    public ExtractedDocument(String path, long sizeBytes, String sha256, String mediaType, String text,
                             ExtractionStatus status, String statusDetail, long modifiedMillis) {
        this(path, sizeBytes, sha256, mediaType, text, status, statusDetail, modifiedMillis, null, List.of());
    }

    public boolean isOk() {
        return status == ExtractionStatus.OK;
    }

    /** This document followed by its {@link #embedded()} documents. */
    public List<ExtractedDocument> allDocuments() {
        List<ExtractedDocument> all = new ArrayList<>(1 + embedded.size());
        all.add(this);
        all.addAll(embedded);
        return all;
    }

    ExtractedDocument withEmbedded(List<ExtractedDocument> docs) {
        return new ExtractedDocument(path, sizeBytes, sha256, mediaType, text, status, statusDetail, modifiedMillis,
                parent, docs);
    }
}
