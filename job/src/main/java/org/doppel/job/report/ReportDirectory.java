package org.doppel.job.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Reports are written into a hidden sibling of the report folder and moved into place only when complete,
 * so a crashed run leaves the previous report untouched. The swap is two renames on one file system; if a
 * run dies between them, the previous report is found under {@code .NAME.previous} and restored next run.
 */
public final class ReportDirectory {
  private final Path target;
  private final Path staging;
  private final Path previous;

  public ReportDirectory(Path target) {
    this.target = target.toAbsolutePath().normalize();
    String name = this.target.getFileName().toString();
    this.staging = this.target.resolveSibling("." + name + ".tmp-" + ProcessHandle.current().pid());
    this.previous = this.target.resolveSibling("." + name + ".previous");
  }

  /** Creates a fresh staging folder (restoring a previous report left by an interrupted swap first). */
  public Path begin() throws IOException {
    Files.createDirectories(target.getParent());
    if (!Files.exists(target) && Files.isDirectory(previous)) Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
    deleteStaleStaging();
    deleteTree(staging);
    Files.createDirectories(staging);
    return staging;
  }

  /** Removes staging folders left by runs that were killed (their process is gone). */
  private void deleteStaleStaging() throws IOException {
    String prefix = "." + target.getFileName() + ".tmp-";
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        String pid = p.getFileName().toString().substring(prefix.length());
        boolean alive = pid.chars().allMatch(Character::isDigit)
            && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) deleteTree(p);
      }
    }
  }

  /** Moves the finished staging folder into place. */
  public void commit() throws IOException {
    deleteTree(previous);
    if (Files.exists(target)) Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(previous);
  }

  /** Drops the staging folder after a failure; the previous report stays as it was. */
  public void abort() {
    try {
      deleteTree(staging);
    } catch (IOException ignored) {
      // best effort: a leftover staging folder is hidden and replaced by the next run
    }
  }

  public Path target() {
    return target;
  }

  static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
    }
  }
}
