package org.doppel.job.output;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.doppel.job.storage.LocalLocation;
import org.doppel.job.storage.Location;

/**
 * The rule that keeps a run from touching what it reads: every path the user gives is resolved (local symbolic links
 * followed, {@code ..} applied as the system does after them; a Hadoop URI normalised) and checked against every
 * other before any work starts. An output may not be, lie inside or contain an input folder or the other output;
 * input folders may not overlap.
 */
public final class OutputPaths {
  /** One path as the user gave it, with the option that named it. */
  public record Given(String option, String path) {
    Location real() {
      return Location.of(path).real();
    }

    String describe() {
      Location given = Location.of(path);
      String real = real().key();
      String plain = given.localPath() != null ? given.localPath().toAbsolutePath().normalize().toString() : given.key();
      return option + " " + path + (real.equals(plain) ? "" : " (" + real + ")");
    }
  }

  private OutputPaths() {}

  /** {@link LocalLocation#resolve}: the local path with its links resolved as the operating system would open it. */
  public static Path resolve(Path p) {
    return LocalLocation.resolve(p);
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
    List<Location> roots = outs.stream().map(Given::real).toList();
    for (String f : files) {
      Location real = Location.of(f).real();
      for (int i = 0; i < outs.size(); i++) {
        if (roots.get(i).contains(real)) {
          return "--files-from lists " + f + ", which is inside " + outs.get(i).describe()
              + ": choose an output folder outside every input";
        }
      }
    }
    return null;
  }

  /** How {@code a} and {@code b} overlap, in words naming both, or null. */
  private static String overlap(Given a, Given b, String bWords) {
    Location x = a.real(), y = b.real();
    if (x.key().equals(y.key())) return a.describe() + " is " + bWords;
    if (y.contains(x)) return a.describe() + " is inside " + bWords;
    if (x.contains(y)) return a.describe() + " contains " + bWords;
    return null;
  }

  /** The inputs as {@link Given}s. */
  public static List<Given> inputs(List<String> paths) {
    List<Given> out = new ArrayList<>();
    for (String p : paths) out.add(new Given("input", p));
    return out;
  }
}
