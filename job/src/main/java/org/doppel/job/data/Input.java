package org.doppel.job.data;

import org.doppel.job.storage.LocalLocation;
import org.doppel.job.storage.Location;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One input folder as the user gave it: {@code PATH} or {@code NAME=PATH}, a local path or a Hadoop FileSystem URI. Its name keys every document found in
 * it: a document's id is a hash of {@code name/relative path} ({@link #idPath}), so ids do not depend on how many
 * inputs were given, their order, or how the folder was spelled ({@code docs}, {@code ./docs/}, an absolute path).
 * An unnamed folder is named by its last path component; naming it keeps ids and {@code path} columns when the
 * folder moves or is renamed.
 */
public record Input(String name, String location) implements Serializable {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /**
   * {@code NAME=PATH} when the part before the first {@code =} is a name and the whole argument is not itself an
   * existing path (a folder may have {@code =} in its name); otherwise an unnamed folder.
   *
   * @throws IllegalArgumentException when no name can be derived (the file system root)
   */
  public static Input parse(String arg) {
    int eq = arg.indexOf('=');
    if (eq > 0 && NAME.matcher(arg.substring(0, eq)).matches() && !(Location.of(arg) instanceof LocalLocation l && Files.exists(l.p()))) {
      if (eq == arg.length() - 1) throw new IllegalArgumentException("input " + arg + " names no folder (NAME=PATH)");
      return new Input(arg.substring(0, eq), arg.substring(eq + 1));
    }
    String last = Location.of(arg).name();
    if (!NAME.matcher(last).matches()) {
      throw new IllegalArgumentException("input " + arg + " has no usable folder name for document ids: name it, "
          + "e.g. docs=" + arg);
    }
    return new Input(last, arg);
  }

  /** The inputs, each parsed; names must differ (two folders called {@code docs} must be named apart). */
  public static List<Input> parseAll(List<String> args) {
    List<Input> out = new ArrayList<>();
    for (String a : args) out.add(parse(a));
    requireDistinctNames(out);
    return out;
  }

  /** @throws IllegalArgumentException naming two inputs with one name (two folders called {@code docs}) */
  public static void requireDistinctNames(List<Input> inputs) {
    Map<String, Input> byName = new HashMap<>();
    for (Input in : inputs) {
      Input other = byName.putIfAbsent(in.name, in);
      if (other != null) {
        throw new IllegalArgumentException("inputs " + other.location + " and " + in.location + " are both named '"
            + in.name + "' (document ids come from the name): name them apart, e.g. " + in.name + "-2=" + in.location);
      }
    }
  }

  /** What a document's id is a hash of: {@code name/relative path} (entries of a container add {@code !/entry}). */
  public String idPath(String relative) {
    return name + "/" + relative;
  }
}
