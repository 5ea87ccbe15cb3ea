package org.doppel.job.corpus;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.doppel.job.data.Input;
import org.doppel.job.data.InputFile;
import org.doppel.job.storage.HadoopLocation;
import org.doppel.job.storage.Location;

/**
 * Lists every file under the input folders, recursively, in a deterministic order (by reported path). Each file
 * carries its folder's name and the path its id is derived from ({@link Input}). A folder is a local path or any
 * Hadoop FileSystem URI ({@code hdfs://}, {@code s3a://}, ...), listed with the same exclude globs and error rows.
 * Local symbolic links are listed (not followed into directories) so a broken link becomes an error row, not a
 * silent skip; directories that cannot be read become error rows too.
 */
public final class FileLister {
  private FileLister() {}

  /** @param inputs folders as given ({@code PATH} or {@code NAME=PATH}, see {@link Input}) */
  public static List<InputFile> list(List<String> inputs, List<String> excludeGlobs) throws IOException {
    return list(inputs, List.of(), excludeGlobs);
  }

  /**
   * The folders' files and the listed ones ({@link FileLists}): a listed file inside one of the folders is listed by
   * the folder, so every file is read once. A listed file that is missing or not a file is an error row.
   */
  public static List<InputFile> list(List<String> inputs, List<String> files, List<String> excludeGlobs)
      throws IOException {
    List<PathMatcher> excludes = new ArrayList<>();
    for (String glob : excludeGlobs) excludes.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
    boolean prefix = inputs.size() + (files.isEmpty() ? 0 : 1) > 1;
    List<InputFile> out = new ArrayList<>();
    List<Input> folders = parse(inputs);
    List<Location> roots = new ArrayList<>();
    for (Input input : folders) roots.add(Location.of(input.location()));
    for (String listed : files) {
      Location file = Location.of(listed);
      if (roots.stream().anyMatch(r -> r.contains(file)) || excluded(excludes, file.localPath() != null ? file.localPath() : Path.of(file.name()))) continue;
      String error = file.isFile() ? null : "cannot read: "
          + (file.isDirectory() ? "is a directory (--files-from lists files)" : "file not found");
      out.add(new InputFile(InputFile.LISTED, listed, listed, listed, error));
    }
    for (int i = 0; i < folders.size(); i++) {
      Folder folder = new Folder(folders.get(i), prefix, excludes, out);
      if (!roots.get(i).isDirectory()) throw new IOException("input folder not found: " + folder.input.location());
      if (roots.get(i) instanceof HadoopLocation remote) folder.walk(remote);
      else folder.walk(roots.get(i).localPath().toAbsolutePath().normalize());
    }
    out.sort(Comparator.comparing(InputFile::path));
    return out;
  }

  /** One input folder being listed into {@code out}. */
  private record Folder(Input input, boolean prefix, List<PathMatcher> excludes, List<InputFile> out) {
    void walk(Path root) throws IOException {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(root) && excluded(excludes, root.relativize(dir)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          Path rel = root.relativize(file);
          if (!attrs.isDirectory() && !excluded(excludes, rel)) add(file.toString(), rel, null);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          Path rel = root.relativize(file);
          if (!excluded(excludes, rel)) add(file.toString(), rel, "cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
          return FileVisitResult.CONTINUE;
        }
      });
    }

    /** A Hadoop FileSystem folder, depth first; a folder that cannot be listed is an error row. */
    void walk(HadoopLocation root) throws IOException {
      FileSystem fs = root.fs();
      org.apache.hadoop.fs.Path base = fs.makeQualified(root.path());
      String basePath = base.toUri().getPath().endsWith("/") ? base.toUri().getPath() : base.toUri().getPath() + "/";
      Deque<org.apache.hadoop.fs.Path> dirs = new ArrayDeque<>(List.of(base));
      while (!dirs.isEmpty()) {
        org.apache.hadoop.fs.Path dir = dirs.pop();
        FileStatus[] entries;
        try {
          entries = fs.listStatus(dir);
        } catch (IOException e) {
          add(dir.toString(), Path.of(relative(basePath, dir)), "cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
          continue;
        }
        for (FileStatus s : entries) {
          Path rel = Path.of(relative(basePath, s.getPath()));
          if (excluded(excludes, rel)) continue;
          if (s.isDirectory()) dirs.push(s.getPath());
          else add(s.getPath().toString(), rel, null);
        }
      }
    }

    private static String relative(String basePath, org.apache.hadoop.fs.Path p) {
      String path = p.toUri().getPath();
      return path.startsWith(basePath) ? path.substring(basePath.length()) : p.getName();
    }

    private void add(String location, Path rel, String listError) {
      String r = rel.toString().replace('\\', '/');
      String shown = prefix ? input.name() + "/" + r : r;
      out.add(new InputFile(input.name(), location, shown, input.idPath(r), listError));
    }
  }

  private static boolean excluded(List<PathMatcher> excludes, Path file) {
    return excludes.stream()
        .anyMatch(m -> m.matches(file) || (file.getFileName() != null && m.matches(file.getFileName())));
  }

  private static List<Input> parse(List<String> inputs) throws IOException {
    try {
      return Input.parseAll(inputs);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage());
    }
  }
}
