package org.doppel.job.data;

import java.io.Serializable;

/**
 * One file found under an input folder. {@code input} is the folder's name ({@link Input}); {@code absolutePath}
 * is where to read it; {@code path} is what reports show (relative to its input folder, prefixed by the folder's
 * name when several inputs are given); {@code idPath} is what its id is a hash of ({@link Input#idPath}). A listing
 * failure (unreadable directory) is carried as {@code listError} so it still becomes a row.
 */
public record InputFile(String input, String absolutePath, String path, String idPath, String listError)
    implements Serializable {
  /** The {@code input} of a file listed by {@code --files-from} (its path is absolute, its id a hash of that path). */
  public static final String LISTED = "files-from";

  public static InputFile of(String input, String absolutePath, String path) {
    return new InputFile(input, absolutePath, path, input + "/" + path, null);
  }

  public String docId() {
    return DocumentRow.docIdFor(idPath);
  }

  /** The id of a document inside this file whose reported path is {@code path} + {@code suffix} ({@code !/entry}). */
  public String docIdOf(String documentPath) {
    return DocumentRow.docIdFor(idPath + documentPath.substring(path.length()));
  }
}
