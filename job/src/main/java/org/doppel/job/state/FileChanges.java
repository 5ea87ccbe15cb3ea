package org.doppel.job.state;

import org.doppel.job.storage.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.InputFile;
import scala.Tuple2;

/**
 * This listing against the previous run's rows: which files are new, changed, unchanged or gone, which rows can
 * be reused and which files must be extracted.
 *
 * <p>A file is unchanged when it has the same id (its input folder's name and its path there) and the same bytes
 * (SHA-256) as before. Its size and modification time are trusted to skip hashing when both equal the stored ones,
 * it is read from the input folder of the same name, and it was last modified more than {@link #RACY_MS} before the previous run started (a file written in
 * the same timestamp tick as that run looked at it could change again without its time changing; such files are
 * hashed, as git does with its index). Trusting size and time is what rsync and make do: a tool that rewrites a
 * file and then sets its old time back, at the same size, goes unnoticed. Any other file whose size is the same is
 * hashed (on the executors) and reused if its bytes are; a file whose size differs has changed.
 *
 * <p>Rows whose earlier extraction may not be final ({@code timeout}, {@code error}, or no SHA-256), and rows whose
 * text is missing from the stored texts, are not reused: the file is extracted again and counted as {@code retried}.
 * A container (archive, mail) is one file: its entries' rows are reused with it, or extracted again with it.
 */
public record FileChanges(JavaRDD<InputFile> toExtract, JavaRDD<DocumentRow> reused, Counts counts) {
  /** Modification times this close to the previous run's start are not trusted to mean "unchanged". */
  public static final long RACY_MS = 2_000;
  private static final Set<String> RETRIED_STATUSES = Set.of("timeout", "error");

  /** Files per outcome. new + changed + unchanged + retried = files listed; deleted were in the state only. */
  public record Counts(long newFiles, long changed, long unchanged, long retried, long deleted, long hashed) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("new", newFiles);
      m.put("changed", changed);
      m.put("unchanged", unchanged);
      m.put("retried", retried);
      m.put("deleted", deleted);
      m.put("hashed", hashed);
      return m;
    }
  }

  enum Kind { NEW, CHANGED, UNCHANGED, RETRIED }

  /** What one listed file is against the state, and the stored rows it reuses (itself and its entries) if any. */
  record Outcome(InputFile file, Kind kind, boolean hashed, List<DocumentRow> reuse) implements Serializable {}

  /** A previous run's rows of one input file (the file and the documents embedded in it) and whether all are final. */
  record Unit(List<DocumentRow> rows, boolean textsStored) implements Serializable {
    DocumentRow file() {
      for (DocumentRow r : rows) if (r.parent() == null) return r;
      throw new IllegalStateException("unit without its file");
    }
  }

  /**
   * Sorts the listed files against the previous run's rows, on the executors (a file's size and time are read, and
   * its bytes hashed when needed, where the file is extracted). The outcomes are cached until the extraction read
   * them; only their counts come to the driver.
   */
  public static FileChanges detect(JavaSparkContext jsc, JavaRDD<InputFile> files, PreviousState previous,
                                   SparkSession spark) {
    if (!previous.stored()) {
      long n = files.count();
      return new FileChanges(files, jsc.emptyRDD(), new Counts(n, 0, 0, 0, 0, 0));
    }
    JavaPairRDD<String, DocumentRow> byFile = byInputFile(previous.docs());
    // an ok row whose text the state lacks cannot be reused: its whole file is extracted again
    JavaPairRDD<String, Boolean> textless = byFile.filter(kv -> kv._2().isOk())
        .mapToPair(kv -> new Tuple2<>(kv._2().textSha256(), kv._1()))
        .subtractByKey(previous.textHashes(spark).mapToPair(t -> new Tuple2<>(t, Boolean.TRUE)))
        .mapToPair(kv -> new Tuple2<>(kv._2(), Boolean.TRUE))
        .reduceByKey((a, b) -> a);
    JavaPairRDD<String, Unit> units = byFile.groupByKey().leftOuterJoin(textless)
        .mapValues(v -> new Unit(toList(v._1()), !v._2().isPresent()));
    long listedAt = previous.listedAtMs();
    JavaRDD<Outcome> outcomes = files.mapToPair(f -> new Tuple2<>(f.docId(), f)).leftOuterJoin(units)
        .map(kv -> classify(kv._2()._1(), kv._2()._2().orElse(null), listedAt))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, Long> kinds = outcomes.map(o -> o.kind().name() + (o.hashed() ? "+hashed" : "")).countByValue();
    long deleted = units.keys().subtract(files.map(InputFile::docId)).count();
    Counts counts = new Counts(count(kinds, Kind.NEW), count(kinds, Kind.CHANGED), count(kinds, Kind.UNCHANGED),
        count(kinds, Kind.RETRIED), deleted,
        kinds.entrySet().stream().filter(e -> e.getKey().endsWith("+hashed")).mapToLong(Map.Entry::getValue).sum());
    return new FileChanges(outcomes.filter(o -> o.kind() != Kind.UNCHANGED).map(Outcome::file),
        outcomes.filter(o -> o.kind() == Kind.UNCHANGED).flatMap(o -> o.reuse().iterator()), counts);
  }

  private static long count(Map<String, Long> kinds, Kind k) {
    return kinds.getOrDefault(k.name(), 0L) + kinds.getOrDefault(k.name() + "+hashed", 0L);
  }

  /** One listed file against its stored unit (null when it is new), as the class comment says. */
  static Outcome classify(InputFile f, Unit unit, long listedAtMs) {
    if (unit == null) return new Outcome(f, Kind.NEW, false, List.of());
    DocumentRow old = unit.file();
    if (f.listError() != null || old.sha256() == null || !unit.textsStored()
        || unit.rows().stream().anyMatch(r -> RETRIED_STATUSES.contains(r.status()))) {
      return new Outcome(f, Kind.RETRIED, false, List.of());
    }
    long[] now = stat(f);
    if (now == null || now[0] != old.sizeBytes()) return new Outcome(f, Kind.CHANGED, false, List.of());
    long modified = now[1];
    boolean trusted = modified == old.modifiedMillis() && f.input().equals(old.input())
        && old.modifiedMillis() < listedAtMs - RACY_MS;
    if (!trusted && !old.sha256().equals(sha256(f))) return new Outcome(f, Kind.CHANGED, true, List.of());
    List<DocumentRow> reuse = new ArrayList<>();
    for (DocumentRow r : unit.rows()) {
      reuse.add((r == old ? old.seenAgain(f.input(), modified) : r).reportedUnder(old.path(), f.path()));
    }
    return new Outcome(f, Kind.UNCHANGED, !trusted, reuse);
  }

  /**
   * The stored rows keyed by the id of the input file they came from: a file by its own id, a document embedded
   * in one (at any depth) by its container's file, found by following {@code parent} one level per round. (Paths of
   * entries cannot be cut at "!/": a folder or an archive entry may have a "!" in its name.)
   */
  static JavaPairRDD<String, DocumentRow> byInputFile(JavaRDD<DocumentRow> rows) {
    JavaPairRDD<String, DocumentRow> files = rows.filter(d -> d.parent() == null).mapToPair(d -> new Tuple2<>(d.path(), d));
    JavaPairRDD<String, DocumentRow> resolved = files.mapToPair(kv -> new Tuple2<>(kv._2().docId(), kv._2()));
    JavaPairRDD<String, String> level = files.mapToPair(kv -> new Tuple2<>(kv._1(), kv._2().docId())); // path -> its file
    JavaPairRDD<String, DocumentRow> pending = rows.filter(d -> d.parent() != null).mapToPair(d -> new Tuple2<>(d.parent(), d))
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<JavaPairRDD<String, DocumentRow>> parts = new ArrayList<>(List.of(resolved));
    while (true) {
      JavaRDD<Tuple2<DocumentRow, String>> found = pending.join(level).values().persist(StorageLevel.MEMORY_AND_DISK());
      if (found.isEmpty()) break;
      parts.add(found.mapToPair(rf -> new Tuple2<>(rf._2(), rf._1())));
      level = found.mapToPair(rf -> new Tuple2<>(rf._1().path(), rf._2()));
    }
    JavaPairRDD<String, DocumentRow> all = parts.get(0);
    for (JavaPairRDD<String, DocumentRow> p : parts.subList(1, parts.size())) all = all.union(p);
    return all;
  }

  private static <T> List<T> toList(Iterable<T> it) {
    List<T> out = new ArrayList<>();
    it.forEach(out::add);
    return out;
  }

  /** The file's size and modification time, or null when it cannot be read. */
  private static long[] stat(InputFile f) {
    try {
      Location at = Location.of(f.absolutePath());
      return new long[] {at.size(), at.modifiedMillis()};
    } catch (IOException | RuntimeException e) {
      return null; // extracted again, which reports why it cannot be read
    }
  }

  /** Hex SHA-256 of a file's bytes; null if it cannot be read (then it is extracted again). */
  static String sha256(InputFile f) {
    try (InputStream in = Location.of(f.absolutePath()).open()) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | SecurityException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
