package org.doppel.job.corpus;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.doppel.job.data.Input;
import org.doppel.job.data.InputFile;

/**
 * Lists every file under the input folders, recursively, in a deterministic order (by reported path). Each file
 * carries its folder's name and the path its id is derived from ({@link Input}).
 * Symbolic links are listed (not followed into directories) so a broken link becomes an error row, not a
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
    List<Path> roots = new ArrayList<>();
    for (Input input : folders) roots.add(Path.of(input.location()).toAbsolutePath().normalize());
    for (String listed : files) {
      Path file = Path.of(listed);
      if (roots.stream().anyMatch(file::startsWith) || excluded(excludes, file)) continue;
      String error = Files.isRegularFile(file) ? null : "cannot read: "
          + (Files.isDirectory(file) ? "is a directory (--files-from lists files)" : "file not found");
      out.add(new InputFile(InputFile.LISTED, listed, listed, listed, error));
    }
    for (int i = 0; i < folders.size(); i++) {
      Input input = folders.get(i);
      Path root = roots.get(i);
      if (!Files.isDirectory(root)) throw new IOException("input folder not found: " + input.location());
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(root) && excluded(root.relativize(dir)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          Path rel = root.relativize(file);
          if (!attrs.isDirectory() && !excluded(rel)) out.add(file(file, rel, null));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          Path rel = root.relativize(file);
          if (!excluded(rel)) {
            out.add(file(file, rel, "cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
          }
          return FileVisitResult.CONTINUE;
        }

        private boolean excluded(Path rel) {
          for (PathMatcher m : excludes) {
            if (m.matches(rel) || (rel.getFileName() != null && m.matches(rel.getFileName()))) return true;
          }
          return false;
        }

        private InputFile file(Path file, Path rel, String listError) {
          String r = rel.toString().replace('\\', '/');
          String shown = prefix ? input.name() + "/" + r : r;
          return new InputFile(input.name(), file.toString(), shown, input.idPath(r), listError);
        }
      });
    }
    out.sort(Comparator.comparing(InputFile::path));
    return out;
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
