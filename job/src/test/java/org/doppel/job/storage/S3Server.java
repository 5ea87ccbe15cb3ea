package org.doppel.job.storage;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Assumptions;

/**
 * A real S3 API server for tests: the npm package s3rver (job/src/test/s3rver, installed by scripts/setup with
 * {@code npm ci}) in its own Node.js process on 127.0.0.1 at a port the OS picks, storing objects under a folder the
 * test owns, with one bucket made at start. Hadoop's s3a client (hadoop-aws, AWS SDK v2) reaches it through
 * {@link #bucketUri()} with {@link #sparkConf()} / {@link #configuration()}. {@link #start} skips the calling test
 * (JUnit assumption) where Node.js or the package is missing. The server's output goes to {@link #log()}.
 *
 * <p>Hadoop caches one file system per scheme and bucket for the whole JVM, whatever the endpoint: each server gets
 * a bucket name of its own (unless one is given), so a later server is never reached through a client made for an
 * earlier one.
 */
public final class S3Server implements AutoCloseable {
  /** s3rver's one account's key pair. */
  public static final String ACCESS_KEY = "S3RVER";
  public static final String SECRET_KEY = "S3RVER";
  public static final String REGION = "us-east-1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static Integer nodeMajor;

  private final Process process;
  private final int port;
  private final String bucket;
  private final Path log;
  private final Path bufferDir;

  private S3Server(Process process, int port, String bucket, Path log, Path bufferDir) {
    this.process = process;
    this.port = port;
    this.bucket = bucket;
    this.log = log;
    this.bufferDir = bufferDir;
  }

  /** Starts a server with a new bucket {@code doppel-XXXXXXXX}; data, log and upload buffers under {@code workDir}. */
  public static S3Server start(Path workDir) throws IOException, InterruptedException {
    return start(workDir, "doppel-" + UUID.randomUUID().toString().substring(0, 8));
  }

  /** Starts a server with {@code bucket} made; data, log and upload buffers under {@code workDir}. */
  public static S3Server start(Path workDir, String bucket) throws IOException, InterruptedException {
    Path node = requireNode();
    Path launcher = requirePackage();
    Path dir = Files.createDirectories(workDir.resolve("s3rver-" + bucket));
    Path portFile = dir.resolve("port");
    Path log = dir.resolve("s3rver.log");
    List<String> command = new ArrayList<>(List.of(node.toString()));
    if (nodeMajorVersion(node) >= 17) command.add("--openssl-legacy-provider"); // launcher.js says why
    command.addAll(List.of(launcher.toString(), dir.resolve("data").toString(), bucket, portFile.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(launcher.getParent().toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Process process = builder.start(); // its stdin stays open: the launcher exits when this JVM's end closes it
    try {
      int port = awaitPort(process, portFile, log);
      S3Server server = new S3Server(process, port, bucket, log, dir.resolve("s3a-buffer"));
      server.awaitServing();
      return server;
    } catch (IOException | RuntimeException | InterruptedException e) {
      stop(process);
      throw e;
    }
  }

  /** Node.js ({@code node}, or Debian's older {@code nodejs}) on the PATH; skips the calling test without it. */
  static Path requireNode() {
    Optional<Path> node = onPath("node").or(() -> onPath("nodejs"));
    Assumptions.assumeTrue(node.isPresent(), "Node.js not installed (scripts/setup installs the Debian packages "
        + "nodejs npm): no S3 API server (s3rver), test skipped");
    return node.get();
  }

  /** The launcher beside an installed s3rver package; skips the calling test without it. */
  static Path requirePackage() {
    Path folder = Path.of(System.getProperty("doppel.repo.root", "."), "job", "src", "test", "s3rver").toAbsolutePath();
    Assumptions.assumeTrue(Files.isRegularFile(folder.resolve("node_modules/s3rver/package.json")),
        "s3rver not installed in " + folder + " (scripts/setup runs npm ci there): no S3 API server, test skipped");
    return folder.resolve("launcher.js");
  }

  /** {@code node --version}'s major number (v20.20.2: 20). */
  private static synchronized int nodeMajorVersion(Path node) throws IOException, InterruptedException {
    if (nodeMajor == null) {
      Process p = new ProcessBuilder(node.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      Matcher m = Pattern.compile("^v(\\d+)\\.").matcher(out);
      if (p.waitFor() != 0 || !m.find()) throw new IOException(node + " --version said: " + out);
      nodeMajor = Integer.parseInt(m.group(1));
    }
    return nodeMajor;
  }

  private static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  private static int awaitPort(Process process, Path portFile, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isRegularFile(portFile)) return Integer.parseInt(Files.readString(portFile).trim());
      if (!process.isAlive()) {
        throw new IOException("s3rver exited with " + process.exitValue() + " before it listened:\n" + tail(log));
      }
      Thread.sleep(20);
    }
    throw new IOException("s3rver did not listen within " + START_TIMEOUT.toSeconds() + " s:\n" + tail(log));
  }

  /** One anonymous listing of the bucket answered over HTTP: the server serves, and the bucket exists. */
  private void awaitServing() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + "?max-keys=1"))
        .timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 || !response.body().contains("<Name>" + bucket + "</Name>")) {
      throw new IOException("s3rver answered " + response.statusCode() + " for bucket " + bucket + ": "
          + response.body() + "\n" + tail(log));
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String bucket() {
    return bucket;
  }

  /** {@code s3a://BUCKET}; {@code bucketUri().resolve("/a/b")} names an object path in it. */
  public URI bucketUri() {
    return URI.create("s3a://" + bucket + "/");
  }

  /** The server's standard output and error: s3rver's messages and stack traces, and one line per request. */
  public Path log() {
    return log;
  }

  /**
   * The requests the server answered with a 5xx status so far ({@code HTTP METHOD URL STATUS TIME} lines of the
   * log). The s3a client retries those, so a run can succeed over a server error that a test should still see.
   */
  public List<String> serverErrors() throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
        .filter(line -> line.matches("HTTP \\S+ \\S+ 5\\d\\d .*"))
        .toList();
  }

  /**
   * Every {@code spark.hadoop.fs.s3a.*} setting the s3a client needs to reach this server (a Spark session's
   * settings, or the doppel CLI's {@code --conf}); each is explained where it is set.
   */
  public Map<String, String> sparkConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    hadoopSettings().forEach((k, v) -> conf.put("spark.hadoop." + k, v));
    return conf;
  }

  /** The same settings as {@link #sparkConf()} in a Hadoop configuration. */
  public Configuration configuration() {
    Configuration conf = new Configuration();
    hadoopSettings().forEach(conf::set);
    return conf;
  }

  /*
   * What each setting is for. Only four are required (a run without them fails, checked one at a time): the
   * endpoint, the two keys and the signer; the others pin what the client would otherwise look up or guess.
   * No change-detection, checksum or multipart setting is needed: s3rver answers ETags, ranged GETs, copies and
   * multipart uploads as S3 does (the smoke test writes a 6 MiB file in two 5 MiB parts).
   */
  private Map<String, String> hadoopSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    // required: without it the client asks AWS (UnknownHostException offline)
    s.put("fs.s3a.endpoint", endpoint());
    // pinned: s3rver accepts any region in the signature; without one the SDK runs its region lookup chain
    s.put("fs.s3a.endpoint.region", REGION);
    // pinned: BUCKET.127.0.0.1 is no host name; the SDK already uses paths for an IP endpoint, a name would not
    s.put("fs.s3a.path.style.access", "true");
    // pinned: the endpoint's http:// already says so
    s.put("fs.s3a.connection.ssl.enabled", "false");
    // pinned: s3rver's one key pair, and only it (no environment variables, no instance metadata lookups)
    s.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s.put("fs.s3a.access.key", ACCESS_KEY); // required (NoAwsCredentialsException)
    s.put("fs.s3a.secret.key", SECRET_KEY); // required
    // the client's upload buffers (default: under hadoop.tmp.dir in /tmp) in the test's folder
    s.put("fs.s3a.buffer.dir", bufferDir.toString());
    // required: over plain http the SDK's S3 signer sends uploads aws-chunked (STREAMING-AWS4-HMAC-SHA256-PAYLOAD),
    // which s3rver stores verbatim, chunk signatures and all ("6;chunk-signature=...\nhello\n0;chunk-signature=...").
    // This signer signs the whole body once and sends it as is. (The SDK, 2.29.52, predates 2.30's default CRC32
    // trailing checksums, which would be aws-chunked too: a newer SDK also needs
    // -Daws.requestChecksumCalculation=when_required.)
    s.put("fs.s3a.s3.signing-algorithm", "AWS4UnsignedPayloadSignerType");
    // fail fast: a loopback server has no transient errors, and s3a's defaults retry a 500 for minutes
    s.put("fs.s3a.attempts.maximum", "1");
    s.put("fs.s3a.retry.limit", "1");
    s.put("fs.s3a.retry.interval", "10ms");
    return s;
  }

  /**
   * Closes the JVM's cached s3a client for the bucket (Spark's), then stops the server (and anything it started)
   * and waits for it to go. Its data and log stay under the work folder.
   */
  @Override
  public void close() {
    try {
      FileSystem.get(bucketUri(), configuration()).close();
    } catch (IOException | RuntimeException e) {
      // nothing cached to close, or it fails to close: the server stops all the same
    }
    stop(process);
  }

  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    children.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
