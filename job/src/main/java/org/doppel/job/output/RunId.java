package org.doppel.job.output;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** A run's identity: its UTC start second and a random suffix (two runs may start in the same second). */
public final class RunId {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunId() {}

  public static String next() {
    byte[] b = new byte[3];
    RANDOM.nextBytes(b);
    return ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "-" + HexFormat.of().formatHex(b);
  }
}
