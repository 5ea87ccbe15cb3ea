package org.doppel.job.data;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.doppel.extractors.LexicalSketch;

/**
 * A file, or a document embedded in a container file (archive entry, e-mail attachment), after extraction: the
 * facts the reports show plus its normalised text. {@code docId} is stable across runs (a hash of the input folder's
 * name and the path inside it, {@link Input}); {@code textSha256} keys exact-text groups; {@code parent} is the container's path ({@code null} for a file
 * found in an input folder); {@code sketch} is the text's lexical fingerprint, computed once, beside the extraction.
 */
public record DocumentRow(String docId, String input, String path, long sizeBytes, String sha256,
                          String textSha256, String mediaType, String status, String statusDetail,
                          int chars, long modifiedMillis, LexicalSketch sketch, String text,
                          String parent) implements Serializable {

  public boolean isOk() {
    return "ok".equals(status);
  }

  /** Same row without its text: what the driver keeps. */
  public DocumentRow withoutText() {
    return new DocumentRow(docId, input, path, sizeBytes, sha256, textSha256, mediaType, status, statusDetail,
        chars, modifiedMillis, sketch, null, parent);
  }

  /** The row of an unchanged file reused from an earlier run, with where and when it was seen this run. */
  public DocumentRow seenAgain(String newInput, long newModifiedMillis) {
    return new DocumentRow(docId, newInput, path, sizeBytes, sha256, textSha256, mediaType, status, statusDetail,
        chars, newModifiedMillis, sketch, text, parent);
  }

  /**
   * This row (of a file or a document inside it) with its file's reported path {@code from} replaced by {@code to}:
   * the same file reported under another prefix (another number of inputs) keeps its id but shows this run's path.
   */
  public DocumentRow reportedUnder(String from, String to) {
    if (from.equals(to)) return this;
    return new DocumentRow(docId, input, to + path.substring(from.length()), sizeBytes, sha256, textSha256, mediaType,
        status, statusDetail, chars, modifiedMillis, sketch, text, parent == null ? null : to + parent.substring(from.length()));
  }

  public static String docIdFor(String path) {
    return sha256(path).substring(0, 16);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
