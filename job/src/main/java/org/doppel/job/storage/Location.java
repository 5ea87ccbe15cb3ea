package org.doppel.job.storage;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Serializable;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A file or folder the user named: a local path (plain, or a {@code file:} URI), read and written with
 * {@code java.nio} so symbolic links and atomic moves behave as the operating system makes them, or any other Hadoop
 * FileSystem URI ({@code hdfs://}, {@code s3a://}, {@code abfs://}, ...), read and written with Hadoop's
 * {@code FileSystem} API. Spark's readers and writers take {@link #uri()} either way.
 */
public sealed interface Location extends Serializable permits LocalLocation, HadoopLocation {
  /** A URI scheme of two or more letters (one letter is a Windows drive). */
  Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");

  /** The location a user gave: a local path, a {@code file:} URI, or a Hadoop FileSystem URI. */
  static Location of(String given) {
    java.util.regex.Matcher m = SCHEME.matcher(given);
    if (!m.find()) return new LocalLocation(Path.of(given));
    if (m.group().equalsIgnoreCase("file:")) return new LocalLocation(Path.of(URI.create(given)));
    return new HadoopLocation(given); // Hadoop's Path takes what a URI would refuse (spaces, for one)
  }

  static Location local(Path path) {
    return new LocalLocation(path);
  }

  /** True when {@code given} names a Hadoop FileSystem location that is not on the local disk. */
  static boolean isRemote(String given) {
    return of(given) instanceof HadoopLocation;
  }

  /** What Spark's readers and writers are given. */
  String uri();

  /** The last component of the path. */
  String name();

  Location resolve(String child);

  /** The parent folder, or null at the root. */
  Location parent();

  default Location sibling(String name) {
    return parent().resolve(name);
  }

  /** The local path, or null for a Hadoop FileSystem location. */
  Path localPath();

  /** The location with its links resolved where the file system has them ({@code a/link/..} as the system reads it). */
  Location real();

  /** The key overlap checks compare: scheme, authority and normalised path. */
  String key();

  /** Whether {@code other} is this location or lies under it. */
  default boolean contains(Location other) {
    String a = key(), b = other.key();
    return b.equals(a) || b.startsWith(a.endsWith("/") ? a : a + "/");
  }

  /** Exists (a link counts as existing, whether or not it points anywhere). */
  boolean exists() throws IOException;

  boolean isDirectory() throws IOException;

  boolean isFile() throws IOException;

  /** The names of a folder's entries, sorted. */
  List<String> list() throws IOException;

  void mkdirs() throws IOException;

  /** Deletes the file or folder with everything in it; a link is deleted, never what it points to. */
  void deleteTree() throws IOException;

  /** Moves this folder or file to {@code target}, which must not exist; atomic where {@link #atomicRename()}. */
  void moveTo(Location target) throws IOException;

  /**
   * True where a folder rename is one atomic step (local disks, HDFS); on object stores a rename copies each object,
   * so readers must trust a marker written last instead.
   */
  boolean atomicRename();

  InputStream open() throws IOException;

  /** Creates or replaces the file. */
  OutputStream create() throws IOException;

  long size() throws IOException;

  long modifiedMillis() throws IOException;

  default Reader reader() throws IOException {
    return new BufferedReader(new InputStreamReader(open(), StandardCharsets.UTF_8));
  }

  default Writer writer() throws IOException {
    return new BufferedWriter(new OutputStreamWriter(create(), StandardCharsets.UTF_8));
  }

  default String readString() throws IOException {
    try (InputStream in = open()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Replaces the file's content so that a reader sees the old content or the new, never part of it. */
  void replaceWith(String s) throws IOException;

  /** A symbolic link (only local disks have them here). */
  default boolean isLink() {
    return false;
  }

  default void writeString(String s) throws IOException {
    try (OutputStream out = create()) {
      out.write(s.getBytes(StandardCharsets.UTF_8));
    }
  }
}
