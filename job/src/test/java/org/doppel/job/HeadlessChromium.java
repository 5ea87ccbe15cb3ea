package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium (Debian package {@code chromium}, installed by scripts/setup) that opens a page
 * and gives back its DOM after scripts ran, a screenshot, and every network request the page made.
 */
final class HeadlessChromium {
  private static final Pattern URL = Pattern.compile("\"url\":\"([^\"]*)\"");

  /** The rendered page: DOM after scripts, a PNG screenshot, and the non-file URLs the page requested. */
  record Page(String dom, Path screenshot, List<String> externalRequests) {
    /** The page's visible text: tags dropped, entities decoded, whitespace collapsed. */
    String text() {
      String t = dom.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", "")
          .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
          .replace("&nbsp;", " ").replace("&amp;", "&");
      return collapse(t);
    }
  }

  private HeadlessChromium() {}

  static String collapse(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }

  /** Skips the calling test (with the reason) where Chromium is not installed. */
  static Path require() {
    Optional<Path> bin = binary();
    Assumptions.assumeTrue(bin.isPresent(), "chromium not installed (scripts/setup installs the Debian package "
        + "chromium; or set DOPPEL_CHROMIUM): report.html not rendered");
    return bin.get();
  }

  static Optional<Path> binary() {
    String env = System.getenv("DOPPEL_CHROMIUM");
    if (env != null && Files.isExecutable(Path.of(env))) return Optional.of(Path.of(env));
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Opens {@code html} twice: once for the DOM (with a network log), once for a 1280 x 2000 screenshot of its top. */
  static Page open(Path html, Path work) throws IOException, InterruptedException {
    return open(html, null, work);
  }

  /** The same, at {@code #fragment} (null: none), so the page's script can act on it. */
  static Page open(Path html, String fragment, Path work) throws IOException, InterruptedException {
    Path bin = require();
    Files.createDirectories(work);
    Path netLog = work.resolve("net-log.json"), screenshot = work.resolve("screenshot.png");
    String url = html.toAbsolutePath().toUri() + (fragment == null ? "" : "#" + fragment);
    // virtual time lets the page's asynchronous work (inflating an opened pair's passages) finish first
    String dom = run(bin, work, "dom", List.of("--log-net-log=" + netLog, "--virtual-time-budget=10000", "--dump-dom", url));
    // the top of the page: headless Chromium paints a page scrolled to a fragment far down as a blank
    run(bin, work, "shot", List.of("--hide-scrollbars", "--virtual-time-budget=10000", "--screenshot=" + screenshot,
        "--window-size=1280,2000", html.toAbsolutePath().toUri().toString()));
    assertTrue(Files.size(screenshot) > 10_000, "screenshot written: " + screenshot);
    return new Page(dom, screenshot, pageRequests(netLog));
  }

  /** The share of the screenshot's pixels that are not (near) white. */
  static double inked(Path png) throws IOException {
    BufferedImage img = ImageIO.read(png.toFile());
    long ink = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        if (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff) < 3 * 235) ink++;
      }
    }
    return ink / (double) (img.getWidth() * (long) img.getHeight());
  }

  private static String run(Path bin, Path work, String name, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + work.resolve("profile-" + name)));
    cmd.addAll(args);
    Path out = work.resolve(name + ".out"), err = work.resolve(name + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + String.join(" ", cmd));
    }
    assertEquals(0, p.exitValue(), "chromium " + name + ": " + Files.readString(err, StandardCharsets.UTF_8));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  /**
   * Requests the page itself made (Chromium's own background traffic is keyed to no site; the page's to
   * {@code file://}), other than for files.
   */
  private static List<String> pageRequests(Path netLog) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<String> lines = Files.lines(netLog, StandardCharsets.UTF_8)) {
      lines.filter(l -> l.contains("\"network_isolation_key\":\"file://")).forEach(l -> {
        Matcher m = URL.matcher(l);
        while (m.find()) if (!m.group(1).startsWith("file:")) out.add(m.group(1));
      });
    }
    return out;
  }
}
