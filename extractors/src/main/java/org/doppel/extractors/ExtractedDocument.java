package org.doppel.extractors;

import java.io.Serializable;

/**
 * One input file after extraction.
 *
 * @param path           the path as reported (relative to its input folder)
 * @param sizeBytes      file size in bytes (-1 if it could not be read)
 * @param sha256         lower-case hex SHA-256 of the file bytes; null if the bytes could not be read
 * @param mediaType      detected media type without parameters (e.g. {@code application/pdf}); null if unknown
 * @param text           normalised text; never null; "" unless status is ok
 * @param status         outcome
 * @param statusDetail   why, in words; never null ("" for a plain ok)
 * @param modifiedMillis last-modified time in epoch millis (0 if unknown)
 */
public record ExtractedDocument(String path, long sizeBytes, String sha256, String mediaType, String text,
                                ExtractionStatus status, String statusDetail, long modifiedMillis)
        implements Serializable {

    public ExtractedDocument {
        if (text == null) text = "";
        if (statusDetail == null) statusDetail = "";
        if (status == null) status = ExtractionStatus.ERROR;
    }

    public boolean isOk() {
        return status == ExtractionStatus.OK;
    }
}
