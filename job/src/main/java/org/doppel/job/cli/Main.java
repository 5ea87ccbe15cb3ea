package org.doppel.job.cli;

import picocli.CommandLine;

/** Entry point of {@code scripts/doppel} and of spark-submit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(DoppelCommand.commandLine().execute(args));
  }
}
