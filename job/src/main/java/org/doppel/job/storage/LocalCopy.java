package org.doppel.job.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;

/**
 * A file of a Hadoop file system copied to a private temporary folder on this machine, under its own name (parsers
 * look at the extension) and with its modification time, for code that reads local files; closing deletes it.
 */
public record LocalCopy(Path path) implements AutoCloseable {
  public static LocalCopy of(Location file) throws IOException {
    Path dir = Files.createTempDirectory("doppel-read-");
    Path copy = dir.resolve(file.name().isEmpty() ? "file" : file.name());
    try (InputStream in = file.open()) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      Files.setLastModifiedTime(copy, FileTime.fromMillis(file.modifiedMillis()));
      return new LocalCopy(copy);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(copy);
      Files.deleteIfExists(dir);
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(path);
    Files.deleteIfExists(path.getParent());
  }
}
