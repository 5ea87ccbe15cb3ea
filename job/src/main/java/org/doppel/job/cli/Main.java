package org.doppel.job.cli;

import java.io.PrintWriter;

/** Entry point of {@code scripts/doppel} and of spark-submit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(DoppelCommand.execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }
}
