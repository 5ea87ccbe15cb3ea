package org.doppel.job.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * A location on a Hadoop FileSystem ({@code hdfs://}, {@code s3a://}, {@code abfs://}, ...), reached with the Hadoop
 * configuration of this JVM's Spark ({@link HadoopConf}).
 */
public record HadoopLocation(String uri) implements Location {
  /** File systems whose folder rename is one atomic metadata operation. */
  private static final Set<String> ATOMIC_RENAME = Set.of("hdfs", "viewfs", "webhdfs", "swebhdfs", "ofs", "o3fs");

  public HadoopLocation {
    uri = new org.apache.hadoop.fs.Path(uri).toString(); // one spelling: no doubled or trailing slashes
  }

  public org.apache.hadoop.fs.Path path() {
    return new org.apache.hadoop.fs.Path(uri);
  }

  public FileSystem fs() throws IOException {
    return path().getFileSystem(HadoopConf.get());
  }

  @Override
  public String name() {
    return path().getName();
  }

  @Override
  public Location resolve(String child) {
    return new HadoopLocation(new org.apache.hadoop.fs.Path(path(), child).toString());
  }

  @Override
  public Location parent() {
    org.apache.hadoop.fs.Path parent = path().getParent();
    return parent == null ? null : new HadoopLocation(parent.toString());
  }

  @Override
  public java.nio.file.Path localPath() {
    return null;
  }

  @Override
  public Location real() {
    return this;
  }

  @Override
  public String key() {
    URI u = path().toUri().normalize();
    String p = u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath();
    return u.getScheme().toLowerCase() + "://" + (u.getAuthority() == null ? "" : u.getAuthority().toLowerCase()) + p;
  }

  @Override
  public boolean exists() throws IOException {
    return fs().exists(path());
  }

  @Override
  public boolean isDirectory() throws IOException {
    FileStatus s = status();
    return s != null && s.isDirectory();
  }

  @Override
  public boolean isFile() throws IOException {
    FileStatus s = status();
    return s != null && s.isFile();
  }

  private FileStatus status() throws IOException {
    try {
      return fs().getFileStatus(path());
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  @Override
  public List<String> list() throws IOException {
    return Arrays.stream(fs().listStatus(path())).map(s -> s.getPath().getName()).sorted().toList();
  }

  @Override
  public void mkdirs() throws IOException {
    if (!fs().mkdirs(path())) throw new IOException("cannot create " + uri);
  }

  @Override
  public void deleteTree() throws IOException {
    if (exists() && !fs().delete(path(), true)) throw new IOException("cannot delete " + uri);
  }

  @Override
  public void moveTo(Location target) throws IOException {
    if (!(target instanceof HadoopLocation t) || !fs().rename(path(), t.path())) {
      throw new IOException("cannot rename " + uri + " to " + target);
    }
  }

  @Override
  public boolean atomicRename() {
    return ATOMIC_RENAME.contains(String.valueOf(path().toUri().getScheme()).toLowerCase());
  }

  @Override
  public InputStream open() throws IOException {
    return fs().open(path());
  }

  @Override
  public OutputStream create() throws IOException {
    return fs().create(path(), true);
  }

  /** Creates the file only if it does not exist yet (false when it does). */
  public boolean createNew(byte[] content) throws IOException {
    try (OutputStream out = fs().create(path(), false)) {
      out.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  /**
   * An object store's single PUT is atomic; on a file system with renames the content is written aside and renamed
   * over the file (a delete and a rename: a reader in between finds no file, never half of one).
   */
  @Override
  public void replaceWith(String s) throws IOException {
    if (!atomicRename()) {
      writeString(s);
      return;
    }
    HadoopLocation tmp = (HadoopLocation) sibling(name() + ".tmp");
    tmp.writeString(s);
    fs().delete(path(), false);
    tmp.moveTo(this);
  }

  @Override
  public long size() throws IOException {
    return fs().getFileStatus(path()).getLen();
  }

  @Override
  public long modifiedMillis() throws IOException {
    return fs().getFileStatus(path()).getModificationTime();
  }

  @Override
  public String toString() {
    return uri;
  }
}
