package org.doppel.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.doppel.job.storage.HadoopLocation;
import org.doppel.job.storage.Location;

/**
 * One run at a time per output folder, through the hidden sibling {@code .NAME.lock}, held for the whole run.
 *
 * <p>On a local disk it is an operating-system lock on that file. The kernel drops the lock when its process dies, so
 * a lock left by a killed run is never a reason to refuse; the file's content (who held it) then tells that the
 * previous holder did not finish, and the new run takes over with a warning. A run that finishes empties the file.
 * The file itself stays: deleting it would let two runs lock two different files of the same name.
 *
 * <p>On a Hadoop file system there are no such locks: the file is created only if absent (exclusive on HDFS; on an
 * object store a check then a write, so two runs started at the same moment may both pass) and rewritten every
 * {@value #HEARTBEAT_SECONDS} s while the run lives; a lock not rewritten for {@value #STALE_SECONDS} s was left by a
 * run that died and is taken over with a warning. A run that finishes deletes it.
 */
public final class RunLock implements AutoCloseable {
  static final int HEARTBEAT_SECONDS = 15;
  static final int STALE_SECONDS = 90;

  /** Another live run holds the lock; the message names it. */
  public static final class Busy extends Exception {
    Busy(String message) {
      super(message);
    }
  }

  /** Who holds (or held) a lock, as written into the lock file. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  public record Holder(String host, long pid, String started, String heartbeat) {
    Holder(String host, long pid, String started) {
      this(host, pid, started, null);
    }

    String describe() {
      return "pid " + pid + " on " + host + ", started " + started;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** What closing does: releases the operating-system lock, or stops the heartbeat and deletes the lock file. */
  private final Closeable release;

  private RunLock(Closeable release) {
    this.release = release;
  }

  /** The lock file of an output folder. */
  public static Path fileFor(Path folder) {
    return fileFor(Location.local(folder)).localPath();
  }

  /** The lock file of an output folder on any file system: {@code .NAME.lock} beside where the folder really is. */
  static Location fileFor(Location folder) {
    Location real = folder.real();
    return real.sibling("." + real.name() + ".lock");
  }

  /** {@link #acquire(Path, String, PrintStream)} for a folder on any file system. */
  public static RunLock acquire(Location folder, String option, PrintStream err) throws Busy, IOException {
    if (folder.localPath() != null) return acquire(folder.localPath(), option, err);
    HadoopLocation file = (HadoopLocation) fileFor(folder);
    folder.parent().mkdirs();
    Holder me = holder(null);
    if (!file.createNew(JSON.writeValueAsBytes(me))) {
      Holder before = read(file);
      Instant beat = before == null || before.heartbeat() == null ? Instant.EPOCH : Instant.parse(before.heartbeat());
      if (Duration.between(beat, Instant.now()).toSeconds() < STALE_SECONDS) {
        throw new Busy(option + " " + folder + " is in use by another Doppel run (" + before.describe() + "; lock " + file
            + "): try again when it has finished");
      }
      err.println("doppel: warning: " + option + " " + folder + ": the run that held it did not finish ("
          + (before == null ? "holder unknown" : before.describe()) + "); taking over its lock");
      err.flush();
      file.deleteTree();
      if (!file.createNew(JSON.writeValueAsBytes(me))) throw new Busy(option + " " + folder + " was just taken by another Doppel run (lock " + file + ")");
    }
    ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "doppel-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    beats.scheduleAtFixedRate(() -> {
      try {
        file.writeString(JSON.writeValueAsString(holder(me.started())));
      } catch (IOException e) {
        System.err.println("doppel: warning: cannot renew the lock " + file + ": " + e.getMessage());
      }
    }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    return new RunLock(() -> {
      beats.shutdownNow();
      file.deleteTree();
    });
  }

  private static Holder holder(String started) throws IOException {
    String now = Instant.now().toString();
    return new Holder(InetAddress.getLocalHost().getHostName(), ProcessHandle.current().pid(),
        started == null ? now : started, now);
  }

  private static Holder read(Location file) {
    try {
      return JSON.readValue(file.readString(), Holder.class);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Takes the lock of {@code folder} for this process, or throws {@link Busy} naming the live holder.
   *
   * @param option how the user named the folder, for messages
   * @param err    where the take-over of a dead run's lock is announced
   */
  public static RunLock acquire(Path folder, String option, PrintStream err) throws Busy, IOException {
    Path file = fileFor(folder);
    Files.createDirectories(file.getParent());
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock fl;
    try {
      fl = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      fl = null; // this JVM holds it already
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    Holder before = read(ch);
    if (fl == null) {
      ch.close();
      throw new Busy(option + " " + folder + " is in use by another Doppel run ("
          + (before == null ? "holder unknown" : before.describe()) + "; lock " + file + "): try again when it has finished");
    }
    if (before != null) {
      err.println("doppel: warning: " + option + " " + folder + ": the run that held it did not finish (" + before.describe()
          + "); taking over its lock");
      err.flush();
    }
    Holder me = new Holder(InetAddress.getLocalHost().getHostName(), ProcessHandle.current().pid(), Instant.now().toString());
    ch.truncate(0);
    ch.write(ByteBuffer.wrap(JSON.writeValueAsBytes(me)), 0);
    ch.force(true);
    FileLock held = fl;
    return new RunLock(() -> {
      try {
        ch.truncate(0);
        ch.force(true);
        held.release();
      } finally {
        ch.close();
      }
    });
  }

  private static Holder read(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0 || size > 65536) return null;
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    ch.read(buf, 0);
    try {
      return JSON.readValue(new String(buf.array(), StandardCharsets.UTF_8), Holder.class);
    } catch (IOException e) {
      return new Holder("?", -1, "?");
    }
  }

  /** Marks the lock free (the run finished) and releases it. */
  @Override
  public void close() throws IOException {
    release.close();
  }
}
