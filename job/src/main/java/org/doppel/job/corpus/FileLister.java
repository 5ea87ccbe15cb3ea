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
import org.doppel.job.data.InputFile;

/**
 * Lists every file under the input folders, recursively, in a deterministic order (by reported path).
 * Symbolic links are listed (not followed into directories) so a broken link becomes an error row, not a
 * silent skip; directories that cannot be read become error rows too.
 */
public final class FileLister {
  private FileLister() {}

  public static List<InputFile> list(List<String> inputs, List<String> excludeGlobs) throws IOException {
    List<PathMatcher> excludes = new ArrayList<>();
    for (String glob : excludeGlobs) excludes.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
    boolean prefix = inputs.size() > 1;
    List<InputFile> out = new ArrayList<>();
    for (String input : inputs) {
      Path root = Path.of(input).toAbsolutePath().normalize();
      if (!Files.isDirectory(root)) throw new IOException("input folder not found: " + input);
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(root) && excluded(root.relativize(dir)) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          Path rel = root.relativize(file);
          if (!attrs.isDirectory() && !excluded(rel)) out.add(InputFile.of(input, file.toString(), reported(rel)));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          Path rel = root.relativize(file);
          if (!excluded(rel)) {
            out.add(new InputFile(input, file.toString(), reported(rel), "cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
          }
          return FileVisitResult.CONTINUE;
        }

        private boolean excluded(Path rel) {
          for (PathMatcher m : excludes) {
            if (m.matches(rel) || (rel.getFileName() != null && m.matches(rel.getFileName()))) return true;
          }
          return false;
        }

        private String reported(Path rel) {
          String r = rel.toString().replace('\\', '/');
          return prefix ? stripSlash(input) + "/" + r : r;
        }
      });
    }
    out.sort(Comparator.comparing(InputFile::path));
    return out;
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
  }
}
