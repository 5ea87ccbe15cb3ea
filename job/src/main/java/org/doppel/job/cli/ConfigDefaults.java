package org.doppel.job.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * Option values from outside the command line, for nightly jobs: a properties file ({@code --config FILE}
 * or {@code DOPPEL_CONFIG}) and environment variables. For an option {@code --max-file-mb}, the key is
 * {@code max-file-mb} in the file and {@code DOPPEL_MAX_FILE_MB} in the environment. The command line wins
 * over the environment, which wins over the file, which wins over the built-in default. Repeatable options
 * ({@code --exclude}) take a comma-separated list.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
  private final Properties file = new Properties();
  private final Map<String, String> env;
  private final String source;
  /** Every value this provider supplied, by option name: part of summary.json's effective configuration. */
  private final Map<String, String> supplied = new LinkedHashMap<>();

  ConfigDefaults(Path configFile, Map<String, String> env) throws IOException {
    this.env = env;
    this.source = configFile == null ? null : configFile.toString();
    if (configFile != null) {
      try (Reader r = Files.newBufferedReader(configFile)) {
        file.load(r);
      }
    }
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o) || o.longestName().equals("--config")) return null;
    String key = key(o);
    String value = env.get("DOPPEL_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
    if (value == null) value = file.getProperty(key);
    if (value != null) supplied.put(key, value);
    return value;
  }

  /** An option's key in the file and in summary.json: its long name without dashes ({@code max-file-mb}). */
  static String key(OptionSpec o) {
    return o.longestName().replaceFirst("^-+", "");
  }

  /** Keys of the file that name no option of any command: a misspelt or retired option must not be ignored. */
  List<String> unknownKeys(CommandLine root) {
    Set<String> known = knownKeys(root);
    return file.stringPropertyNames().stream().filter(k -> !known.contains(k)).sorted().toList();
  }

  private static Set<String> knownKeys(CommandLine root) {
    Set<String> known = new HashSet<>();
    List<CommandLine> all = new ArrayList<>(root.getSubcommands().values());
    all.add(root);
    for (CommandLine c : all) {
      for (OptionSpec o : c.getCommandSpec().options()) known.add(key(o));
    }
    return known;
  }

  /**
   * {@code DOPPEL_*} variables that are not options: read by the launcher scripts, benchmarks and tests, never by an
   * option. Any other {@code DOPPEL_*} variable must name an option, or the run would silently ignore it.
   */
  static final Set<String> NOT_OPTIONS = Set.of("DOPPEL_CONFIG", "DOPPEL_JAVA_OPTS", "DOPPEL_CLASSPATH", "DOPPEL_LOG_LEVEL",
      "DOPPEL_MAVEN_ARGS", "DOPPEL_MVN_OPTS", "DOPPEL_MKL_SHIM", "DOPPEL_BUILD", "DOPPEL_ARGS", "DOPPEL_CHROMIUM",
      "DOPPEL_CORPUS_GENERATOR", "DOPPEL_SWEEP_THRESHOLD", "DOPPEL_TEST_JINA_DIR",
      // scripts/build-torch-jni and its environment (a host libtorch with a JNI built for it)
      "DOPPEL_TORCH", "DOPPEL_TORCH_JNI", "DOPPEL_TORCH_WHEELS", "DOPPEL_CACHE", "DOPPEL_BUILD_NICE");

  /** {@code DOPPEL_*} environment variables that name no option of any command (nor a launcher variable). */
  List<String> unknownVariables(CommandLine root) {
    Set<String> known = new HashSet<>(NOT_OPTIONS);
    for (String k : knownKeys(root)) known.add("DOPPEL_" + k.toUpperCase(Locale.ROOT).replace('-', '_'));
    return env.keySet().stream().filter(k -> k.startsWith("DOPPEL_") && !known.contains(k)).sorted().toList();
  }

  public String source() {
    return source;
  }

  public Map<String, String> supplied() {
    return supplied;
  }

  /** The --config FILE (or DOPPEL_CONFIG) named by the arguments, looked up before picocli parses them. */
  static Path configFile(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) return Path.of(args[i + 1]);
      if (args[i].startsWith("--config=")) return Path.of(args[i].substring("--config=".length()));
    }
    String fromEnv = env.get("DOPPEL_CONFIG");
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
  }
}
