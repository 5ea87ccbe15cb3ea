package org.doppel.job.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule that keeps a run from touching what it reads: every path the user gives is resolved (symbolic links
 * followed, {@code ..} applied as the system does after them) and checked against every other before any work
 * starts. An output may not be, lie inside or contain an input folder or the other output; input folders may not
 * overlap.
 */
public final class OutputPaths {
  /** One path as the user gave it, with the option that named it. */
  public record Given(String option, String path) {
    Path real() {
      return resolve(Path.of(path));
    }

    String describe() {
      Path real = real();
      String abs = Path.of(path).toAbsolutePath().normalize().toString();
      return option + " " + path + (real.toString().equals(abs) ? "" : " (" + real + ")");
    }
  }

  private OutputPaths() {}

  /**
   * The path with every existing component's symbolic links resolved, as the operating system would open it; the
   * part that does not exist yet is appended as written. {@code a/link/..} is the parent of the link's target, not
   * {@code a}, exactly as the system resolves it.
   */
  public static Path resolve(Path p) {
    Path abs = p.toAbsolutePath();
    Path cur = abs.getRoot();
    boolean exists = true;
    for (Path part : abs) {
      String name = part.toString();
      if (name.equals(".")) continue;
      if (name.equals("..")) {
        if (cur.getParent() != null) cur = cur.getParent();
        continue;
      }
      Path next = cur.resolve(name);
      if (exists && Files.exists(next)) {
        try {
          next = next.toRealPath();
        } catch (IOException e) {
          exists = false;
        }
      } else {
        exists = false;
      }
      cur = next;
    }
    return cur;
  }

  /** Why these inputs and outputs must not be used together, or null. {@code outputs} may hold nulls (unset). */
  public static String problem(List<Given> inputs, List<Given> outputs) {
    List<Given> outs = outputs.stream().filter(g -> g != null && g.path() != null).toList();
    for (Given out : outs) {
      for (Given in : inputs) {
        String why = overlap(out, in, "the input folder " + in.path());
        if (why != null) return why + ": choose an output folder outside every input folder";
      }
    }
    for (int i = 0; i < outs.size(); i++) {
      for (int j = i + 1; j < outs.size(); j++) {
        String why = overlap(outs.get(j), outs.get(i), outs.get(i).option() + " " + outs.get(i).path());
        if (why != null) return why + ": they must be separate folders";
      }
    }
    for (int i = 0; i < inputs.size(); i++) {
      for (int j = i + 1; j < inputs.size(); j++) {
        String why = overlap(inputs.get(j), inputs.get(i), "the input folder " + inputs.get(i).path());
        if (why != null) return why + ": every file would be read twice";
      }
    }
    return null;
  }

  /** Why a file listed by --files-from must not be read with these outputs (it lies inside one), or null. */
  public static String listedFilesProblem(List<String> files, List<Given> outputs) {
    List<Given> outs = outputs.stream().filter(g -> g != null && g.path() != null).toList();
    if (outs.isEmpty() || files.isEmpty()) return null;
    List<Path> roots = outs.stream().map(Given::real).toList();
    for (String f : files) {
      Path real = resolve(Path.of(f));
      for (int i = 0; i < outs.size(); i++) {
        if (real.startsWith(roots.get(i))) {
          return "--files-from lists " + f + ", which is inside " + outs.get(i).describe()
              + ": choose an output folder outside every input";
        }
      }
    }
    return null;
  }

  /** How {@code a} and {@code b} overlap, in words naming both, or null. */
  private static String overlap(Given a, Given b, String bWords) {
    Path x = a.real(), y = b.real();
    if (x.equals(y)) return a.describe() + " is " + bWords;
    if (x.startsWith(y)) return a.describe() + " is inside " + bWords;
    if (y.startsWith(x)) return a.describe() + " contains " + bWords;
    return null;
  }

  /** The inputs as {@link Given}s. */
  public static List<Given> inputs(List<String> paths) {
    List<Given> out = new ArrayList<>();
    for (String p : paths) out.add(new Given("input", p));
    return out;
  }

  static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return false;
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
