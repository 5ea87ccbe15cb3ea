package org.doppel.job.output;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The versions of Doppel and what it is built on (doppel, spark, tika, djl, pytorch), as the build recorded them. */
public final class Versions {
  private Versions() {}

  public static Properties get() {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("/doppel-versions.properties")) {
      if (in != null) p.load(in);
    } catch (IOException ignored) {
      // versions are informational only
    }
    return p;
  }
}
