package org.doppel.job.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder Doppel writes whole (the report, the state): written into a hidden sibling and moved into place only when
 * complete, so a crashed run leaves the previous one untouched. The swap is two renames on one file system; if a run
 * dies between them, the previous folder is found under {@code .NAME.previous} and restored next run.
 *
 * <p>Doppel replaces only what it wrote. The target may be replaced when it does not exist, is an empty folder, or
 * carries an {@link OutputMarker} of the same kind and holds nothing the marker does not list (a folder written
 * before markers existed is recognised by its fixed layout). Anything else is refused: when the options are checked,
 * again before the staging folder is made, and again just before the swap, so a file put into the old folder during
 * the run is not deleted either. Leftover staging and previous folders are deleted only when they carry the marker.
 */
public final class OutputFolder {
  /** What a folder holds; a report folder is never replaced by a state, nor the other way round. */
  public enum Kind {
    REPORT("report", Set.of("documents.parquet", "documents.csv", "pairs.parquet", "pairs.csv", "clusters.parquet",
        "clusters.csv", "summary.json", "report.html", "vectors.parquet", "document_vectors.parquet")),
    STATE("state", Set.of("state.properties", "documents.parquet", "texts.parquet"));

    private final String label;
    /** The entries a folder of this kind held before markers were written (Doppel up to format 1 of the marker). */
    private final Set<String> legacyEntries;

    Kind(String label, Set<String> legacyEntries) {
      this.label = label;
      this.legacyEntries = legacyEntries;
    }

    public String label() {
      return label;
    }
  }

  private final Path target;
  private final Path staging;
  private final Path previous;
  private final Kind kind;
  private final String option;
  private final String runId;

  /**
   * @param option how the user named the folder ({@code --out}, {@code --state}), for messages
   */
  public OutputFolder(Path target, Kind kind, String option, String runId) {
    this.target = OutputPaths.resolve(target); // a symbolic link to a folder: the report is written where it points
    this.kind = kind;
    this.option = option;
    this.runId = runId;
    String name = this.target.getFileName().toString();
    this.staging = this.target.resolveSibling("." + name + ".tmp-" + ProcessHandle.current().pid());
    this.previous = this.target.resolveSibling("." + name + ".previous");
  }

  /** Why {@code dir} must not be replaced by a folder of this kind (one line naming it), or null. */
  public static String problem(Path dir, Kind kind, String option) {
    Path d = OutputPaths.resolve(dir);
    if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) return null;
    if (!Files.isDirectory(d)) return option + " " + dir + " is a file, not a folder";
    try {
      if (OutputPaths.isEmptyDirectory(d)) return null;
      String why = notOurs(d, kind);
      return why == null ? null : option + " " + dir + " " + why + "; Doppel replaces only an empty folder or one it wrote";
    } catch (IOException e) {
      return option + " " + dir + " cannot be read: " + e.getMessage();
    }
  }

  /** Why a non-empty folder is not a finished or staged output of this kind that Doppel may delete, or null. */
  private static String notOurs(Path d, Kind kind) throws IOException {
    List<String> entries = entries(d);
    OutputMarker marker = OutputMarker.read(d);
    Set<String> allowed = new HashSet<>();
    if (marker != null) {
      if (!kind.label().equals(marker.kind())) return "is a Doppel " + marker.kind() + " folder, not a " + kind.label() + " folder";
      if (!marker.complete()) return null; // a staging folder: nothing but this run's writes lands there
      allowed.addAll(marker.entries());
    } else if (isLegacy(d, kind)) {
      allowed.addAll(kind.legacyEntries);
    } else {
      String example = entries.isEmpty() ? "" : " (e.g. '" + entries.get(0) + "')";
      return "is not empty and is not a Doppel " + kind.label() + example;
    }
    List<String> foreign = entries.stream().filter(e -> !allowed.contains(e)).toList();
    if (!foreign.isEmpty()) {
      return "holds " + (foreign.size() == 1 ? "'" + foreign.get(0) + "'" : foreign.size() + " entries such as '"
          + foreign.get(0) + "'") + " that Doppel did not write";
    }
    return null;
  }

  /** A folder written before markers: the kind's own file, as that version wrote it. */
  private static boolean isLegacy(Path d, Kind kind) {
    try {
      if (kind == Kind.STATE) {
        Path p = d.resolve("state.properties");
        return Files.isRegularFile(p) && Files.readString(p, StandardCharsets.UTF_8).contains("format_version=");
      }
      Path summary = d.resolve("summary.json");
      if (!Files.isRegularFile(summary)) return false;
      JsonNode versions = new ObjectMapper().readTree(summary.toFile()).path("versions");
      return versions.has("doppel");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The folder's top-level entries but the marker, sorted. */
  private static List<String> entries(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(OutputMarker.NAME)).sorted().toList();
    }
  }

  /** Creates a fresh staging folder (restoring a previous folder left by an interrupted swap first). */
  public Path begin() throws IOException {
    refuseIfUnsafe();
    Files.createDirectories(target.getParent());
    if (!Files.exists(target) && Files.isDirectory(previous) && notOurs(previous, kind) == null) {
      Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
    }
    deleteStaleStaging();
    deleteOurs(staging);
    Files.createDirectories(staging);
    OutputMarker.staging(kind, runId).write(staging);
    return staging;
  }

  /** Removes staging folders left by runs that were killed (their process is gone) and marked as Doppel's. */
  private void deleteStaleStaging() throws IOException {
    String prefix = "." + target.getFileName() + ".tmp-";
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        String pid = p.getFileName().toString().substring(prefix.length());
        boolean alive = pid.chars().allMatch(Character::isDigit)
            && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        if (!alive && OutputMarker.read(p) != null) deleteOurs(p);
      }
    }
  }

  /** Moves the finished staging folder into place. */
  public void commit() throws IOException {
    OutputMarker marker = OutputMarker.read(staging);
    if (marker == null) throw new IOException("staging folder " + staging + " lost its marker");
    marker.finished(entries(staging)).write(staging);
    refuseIfUnsafe(); // the old folder may have gained a file while this run worked: it is not ours to delete
    deleteOurs(previous);
    if (OutputPaths.isEmptyDirectory(target)) Files.delete(target);
    else if (Files.exists(target)) Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    deleteOurs(previous);
  }

  /** Drops the staging folder after a failure; the previous folder stays as it was. */
  public void abort() {
    try {
      deleteOurs(staging);
    } catch (IOException ignored) {
      // best effort: a leftover staging folder is hidden, marked, and removed by the next run
    }
  }

  public Path target() {
    return target;
  }

  public String runId() {
    return runId;
  }

  private void refuseIfUnsafe() throws IOException {
    String why = problem(target, kind, option);
    if (why != null) throw new IOException(why);
  }

  /** Deletes a folder this code made (it carries the marker, or the legacy layout); refuses anything else. */
  private void deleteOurs(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || (!OutputPaths.isEmptyDirectory(p) && notOurs(p, kind) != null)) {
      throw new IOException("refusing to delete " + p + ": Doppel did not write it");
    }
    List<Path> all;
    try (Stream<Path> s = Files.walk(p)) { // does not follow links: a link is deleted, never what it points to
      all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
    }
    for (Path x : all) Files.delete(x);
  }
}
