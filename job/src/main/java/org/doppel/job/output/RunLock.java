package org.doppel.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Instant;

/**
 * One run at a time per output folder: an operating-system lock on the hidden sibling {@code .NAME.lock}, held for
 * the whole run. The kernel drops the lock when its process dies, so a lock left by a killed run is never a reason
 * to refuse; the file's content (who held it) then tells that the previous holder did not finish, and the new run
 * takes over with a warning. A run that finishes empties the file. The file itself stays: deleting it would let two
 * runs lock two different files of the same name.
 */
public final class RunLock implements AutoCloseable {
  /** Another live run holds the lock; the message names it. */
  public static final class Busy extends Exception {
    Busy(String message) {
      super(message);
    }
  }

  /** Who holds (or held) a lock, as written into the lock file. */
  public record Holder(String host, long pid, String started) {
    String describe() {
      return "pid " + pid + " on " + host + ", started " + started;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock file of an output folder. */
  public static Path fileFor(Path folder) {
    Path real = OutputPaths.resolve(folder);
    return real.resolveSibling("." + real.getFileName() + ".lock");
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
    return new RunLock(ch, fl);
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
    try {
      channel.truncate(0);
      channel.force(true);
      lock.release();
    } finally {
      channel.close();
    }
  }
}
