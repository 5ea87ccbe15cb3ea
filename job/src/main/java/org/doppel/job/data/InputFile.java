package org.doppel.job.data;

import java.io.Serializable;

/**
 * One file found under an input folder. {@code absolutePath} is where to read it; {@code path} is what
 * reports show (relative to its input folder, prefixed by the folder when several inputs are given).
 * A listing failure (unreadable directory) is carried as {@code listError} so it still becomes a row.
 */
public record InputFile(String input, String absolutePath, String path, String listError) implements Serializable {
  public static InputFile of(String input, String absolutePath, String path) {
    return new InputFile(input, absolutePath, path, null);
  }
}
