package org.doppel.job.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A path on the local disk (java.nio: links are never followed when deleting; renames are atomic). */
public record LocalLocation(String path) implements Location {
  public LocalLocation(Path path) {
    this(path.toString());
  }

  public Path p() {
    return Path.of(path);
  }

  @Override
  public String uri() {
    return p().toAbsolutePath().toUri().toString();
  }

  @Override
  public String name() {
    Path n = p().toAbsolutePath().normalize().getFileName();
    return n == null ? "" : n.toString();
  }

  @Override
  public Location resolve(String child) {
    return new LocalLocation(p().resolve(child));
  }

  @Override
  public Location parent() {
    Path parent = p().toAbsolutePath().getParent();
    return parent == null ? null : new LocalLocation(parent);
  }

  @Override
  public Location sibling(String name) {
    return new LocalLocation(p().resolveSibling(name));
  }

  @Override
  public Path localPath() {
    return p();
  }

  @Override
  public Location real() {
    return new LocalLocation(resolve(p()));
  }

  @Override
  public String key() {
    return p().toAbsolutePath().normalize().toString();
  }

  @Override
  public boolean exists() {
    return Files.exists(p(), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public boolean isDirectory() {
    return Files.isDirectory(p());
  }

  @Override
  public boolean isFile() {
    return Files.isRegularFile(p());
  }

  @Override
  public List<String> list() throws IOException {
    try (Stream<Path> s = Files.list(p())) {
      return s.map(x -> x.getFileName().toString()).sorted().toList();
    }
  }

  @Override
  public void mkdirs() throws IOException {
    Files.createDirectories(p());
  }

  @Override
  public void deleteTree() throws IOException {
    if (!exists()) return;
    List<Path> all;
    try (Stream<Path> s = Files.walk(p())) { // does not follow links: a link is deleted, never what it points to
      all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
    }
    for (Path x : all) Files.delete(x);
  }

  @Override
  public void moveTo(Location target) throws IOException {
    Files.move(p(), target.localPath(), StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public boolean atomicRename() {
    return true;
  }

  @Override
  public InputStream open() throws IOException {
    return Files.newInputStream(p());
  }

  @Override
  public OutputStream create() throws IOException {
    return Files.newOutputStream(p());
  }

  @Override
  public void replaceWith(String s) throws IOException {
    Path tmp = p().resolveSibling(p().getFileName() + ".tmp");
    Files.writeString(tmp, s, java.nio.charset.StandardCharsets.UTF_8);
    Files.move(tmp, p(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public boolean isLink() {
    return Files.isSymbolicLink(p());
  }

  @Override
  public long size() throws IOException {
    return Files.size(p());
  }

  @Override
  public long modifiedMillis() throws IOException {
    return Files.getLastModifiedTime(p()).toMillis();
  }

  @Override
  public String toString() {
    return path;
  }

  /**
   * The path with every existing component's symbolic links resolved, as the operating system would open it; the
   * part that does not exist yet is appended as written. {@code a/link/..} is the parent of the link's target, not
   * {@code a}, exactly as the system resolves it.
   */
  public static Path resolve(Path p) {
    Path abs = p.toAbsolutePath();
    Path cur = abs.getRoot();
    boolean exists = true;
    for (Path part : abs) {
      String name = part.toString();
      if (name.equals(".")) continue;
      if (name.equals("..")) {
        if (cur.getParent() != null) cur = cur.getParent();
        continue;
      }
      Path next = cur.resolve(name);
      if (exists && Files.exists(next)) {
        try {
          next = next.toRealPath();
        } catch (IOException e) {
          exists = false;
        }
      } else {
        exists = false;
      }
      cur = next;
    }
    return cur;
  }
}
