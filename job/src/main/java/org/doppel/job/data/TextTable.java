package org.doppel.job.data;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One {@code --text-table} as the user gave it: {@code PATH} or {@code NAME=PATH}, a Parquet or JSONL table (a file
 * or a folder of part files; a local path or any Hadoop URI) whose rows are documents with their text already
 * extracted. Like an input folder ({@link Input}) its name keys its documents: a row's id is a hash of
 * {@code NAME/<id column value>}, and its {@code input} column is the name. An unnamed table is named by its last
 * path component without its extensions ({@code /data/articles.jsonl.gz} is {@code articles}).
 *
 * @param format     {@link #PARQUET}, {@link #JSONL}, or {@link #AUTO} until the files are looked at
 * @param idColumn   the column holding each row's id (unique in the table)
 * @param textColumn the column holding each row's text
 */
public record TextTable(String name, String location, String format, String idColumn, String textColumn)
    implements Serializable {
  public static final String AUTO = "auto";
  public static final String PARQUET = "parquet";
  public static final String JSONL = "jsonl";
  /** The same names {@link Input} accepts. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern COMPRESSED = Pattern.compile("(?i)\\.(gz|bz2|xz|zst|lz4|snappy|deflate)$");

  /**
   * {@code NAME=PATH} when the part before the first {@code =} is a name and the whole argument is not itself an
   * existing local path; otherwise the table is named after its file or folder.
   *
   * @param format {@link #AUTO}, {@link #PARQUET} or {@link #JSONL}
   * @throws IllegalArgumentException with one line when no name can be derived
   */
  public static TextTable parse(String arg, String format, String idColumn, String textColumn) {
    int eq = arg.indexOf('=');
    if (eq > 0 && NAME.matcher(arg.substring(0, eq)).matches() && !existsLocally(arg)) {
      if (eq == arg.length() - 1) {
        throw new IllegalArgumentException("--text-table " + arg + " names no table (NAME=PATH)");
      }
      return new TextTable(arg.substring(0, eq), arg.substring(eq + 1), format, idColumn, textColumn);
    }
    String name = baseName(lastComponent(arg));
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("--text-table " + arg + " has no usable name for document ids: name it, "
          + "e.g. texts=" + arg);
    }
    return new TextTable(name, arg, format, idColumn, textColumn);
  }

  /**
   * The format a file name says ({@code .parquet}; {@code .jsonl}, {@code .ndjson}, {@code .json}; compressed or
   * not), or null.
   */
  public static String formatOfName(String fileName) {
    String n = COMPRESSED.matcher(fileName).replaceFirst("").toLowerCase(Locale.ROOT);
    if (n.endsWith(".parquet")) return PARQUET;
    if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) return JSONL;
    return null;
  }

  /** This table with its format decided and its columns spelled as the table spells them. */
  public TextTable resolved(String decidedFormat, String id, String text) {
    return new TextTable(name, location, decidedFormat, id, text);
  }

  /** {@code name/id}: what the id of the row with this id is a hash of (as {@link Input#idPath} for a file). */
  public String idPath(String id) {
    return name + "/" + id;
  }

  static String lastComponent(String location) {
    String s = location;
    while (s.length() > 1 && s.endsWith("/")) s = s.substring(0, s.length() - 1);
    if (!s.contains("://") && !s.startsWith("file:")) {
      try { // a local path: ".", "..", "./texts/" name the folder they resolve to
        Path last = Path.of(s).toAbsolutePath().normalize().getFileName();
        return last == null ? "" : last.toString();
      } catch (InvalidPathException e) {
        return "";
      }
    }
    int slash = s.lastIndexOf('/');
    return slash < 0 ? s : s.substring(slash + 1);
  }

  /** A file name without its compression and table extensions. */
  static String baseName(String fileName) {
    String n = COMPRESSED.matcher(fileName).replaceFirst("");
    for (String ext : new String[] {".parquet", ".jsonl", ".ndjson", ".json"}) {
      if (n.toLowerCase(Locale.ROOT).endsWith(ext) && n.length() > ext.length()) {
        return n.substring(0, n.length() - ext.length());
      }
    }
    return n;
  }

  private static boolean existsLocally(String arg) {
    try {
      return Files.exists(Path.of(arg));
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
