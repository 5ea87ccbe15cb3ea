package org.doppel.job.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.doppel.job.storage.Location;

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

  private final Location target;
  private final Location staging;
  private final Location previous;
  private final Kind kind;
  private final String option;
  private final String runId;

  public OutputFolder(Path target, Kind kind, String option, String runId) {
    this(Location.local(target), kind, option, runId);
  }

  /**
   * @param option how the user named the folder ({@code --out}, {@code --state}), for messages
   */
  public OutputFolder(Location target, Kind kind, String option, String runId) {
    this.target = target.real(); // a symbolic link to a folder: the report is written where it points
    this.kind = kind;
    this.option = option;
    this.runId = runId;
    String name = this.target.name();
    // A local staging folder is named by the process (a dead one's is found and removed); elsewhere by the run.
    this.staging = this.target.sibling("." + name + ".tmp-" + (target.localPath() != null
        ? String.valueOf(ProcessHandle.current().pid()) : runId));
    this.previous = this.target.sibling("." + name + ".previous");
  }

  /** Why {@code dir} must not be replaced by a folder of this kind (one line naming it), or null. */
  public static String problem(Path dir, Kind kind, String option) {
    return problem(Location.local(dir), kind, option);
  }

  /** Why {@code dir} must not be replaced by a folder of this kind (one line naming it), or null. */
  public static String problem(Location dir, Kind kind, String option) {
    Location d = dir.real();
    if (d.parent() == null) return option + " " + dir + " is the root of its file system: name a folder in it";
    try {
      if (!d.exists()) return null;
      if (!d.isDirectory()) return option + " " + dir + " is a file, not a folder";
      if (isEmptyDirectory(d)) return null;
      String why = notOurs(d, kind);
      return why == null ? null : option + " " + dir + " " + why + "; Doppel replaces only an empty folder or one it wrote";
    } catch (IOException e) {
      return option + " " + dir + " cannot be read: " + e.getMessage();
    }
  }

  /** Why a non-empty folder is not a finished or staged output of this kind that Doppel may delete, or null. */
  private static String notOurs(Location d, Kind kind) throws IOException {
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
  private static boolean isLegacy(Location d, Kind kind) {
    try {
      if (kind == Kind.STATE) {
        Location p = d.resolve("state.properties");
        return p.isFile() && p.readString().contains("format_version=");
      }
      Location summary = d.resolve("summary.json");
      if (!summary.isFile()) return false;
      JsonNode versions = new ObjectMapper().readTree(summary.readString()).path("versions");
      return versions.has("doppel");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The folder's top-level entries but the marker, sorted. */
  private static List<String> entries(Location d) throws IOException {
    return d.list().stream().filter(n -> !n.equals(OutputMarker.NAME)).toList();
  }

  private static boolean isEmptyDirectory(Location d) throws IOException {
    return !d.isLink() && d.isDirectory() && d.list().isEmpty();
  }

  /** Creates a fresh staging folder (restoring a previous folder left by an interrupted swap first). */
  public Location begin() throws IOException {
    refuseIfUnsafe();
    target.parent().mkdirs();
    if (!target.exists() && previous.isDirectory() && notOurs(previous, kind) == null) previous.moveTo(target);
    deleteStaleStaging();
    deleteOurs(staging);
    staging.mkdirs();
    OutputMarker.staging(kind, runId).write(staging);
    return staging;
  }

  /**
   * Removes staging folders marked as Doppel's that runs left when they were killed: locally those whose process is
   * gone; elsewhere every other one (this run holds the folder's {@link RunLock}).
   */
  private void deleteStaleStaging() throws IOException {
    String prefix = "." + target.name() + ".tmp-";
    for (String n : target.parent().list()) {
      if (!n.startsWith(prefix) || n.equals(staging.name())) continue;
      String pid = n.substring(prefix.length());
      boolean alive = target.localPath() != null && pid.chars().allMatch(Character::isDigit)
          && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
      Location p = target.sibling(n);
      if (!alive && OutputMarker.read(p) != null) deleteOurs(p);
    }
  }

  /**
   * Moves the finished staging folder into place. Where a folder rename is atomic the marker is finished first and
   * the folder appears whole; on an object store a rename copies object by object, so the marker is finished last,
   * in place: until then the folder reads as unfinished ({@link #isFinished}).
   */
  public void commit() throws IOException {
    OutputMarker marker = OutputMarker.read(staging);
    if (marker == null) throw new IOException("staging folder " + staging + " lost its marker");
    OutputMarker finished = marker.finished(entries(staging));
    if (target.atomicRename()) finished.write(staging);
    refuseIfUnsafe(); // the old folder may have gained a file while this run worked: it is not ours to delete
    deleteOurs(previous);
    if (isEmptyDirectory(target)) target.deleteTree();
    else if (target.exists()) target.moveTo(previous);
    staging.moveTo(target);
    if (!target.atomicRename()) finished.write(target);
    deleteOurs(previous);
  }

  /** True when {@code dir} was finished by the run that wrote it (or predates markers): what readers may trust. */
  public static boolean isFinished(Location dir) {
    OutputMarker m = OutputMarker.read(dir);
    return m == null || m.complete();
  }

  /** Drops the staging folder after a failure; the previous folder stays as it was. */
  public void abort() {
    try {
      deleteOurs(staging);
    } catch (IOException ignored) {
      // best effort: a leftover staging folder is hidden, marked, and removed by the next run
    }
  }

  public Location target() {
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
  private void deleteOurs(Location p) throws IOException {
    if (!p.exists()) return;
    if (p.isLink() || !p.isDirectory() || (!isEmptyDirectory(p) && notOurs(p, kind) != null)) {
      throw new IOException("refusing to delete " + p + ": Doppel did not write it");
    }
    p.deleteTree();
  }
}
