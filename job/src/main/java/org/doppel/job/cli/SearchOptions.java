package org.doppel.job.cli;

import org.doppel.job.candidates.BlockedSearch;
import org.doppel.job.candidates.PairSearch;
import picocli.CommandLine.Option;

/** How candidate pairs are searched: the options {@code run} and {@code pairs} share. */
public class SearchOptions {
  @Option(names = "--search", paramLabel = "MODE", description = "Candidate pair search: exact (every pair), blocked (k-means blocks, for very large sets) or auto (exact up to --blocked-above texts; default ${DEFAULT-VALUE}).")
  String search = "auto";

  @Option(names = "--blocked-above", paramLabel = "N", description = "With --search auto, distinct texts (or vectors) above which the search is blocked (default ${DEFAULT-VALUE}).")
  int blockedAbove = PairSearch.DEFAULT_BLOCKED_ABOVE;

  @Option(names = "--probe-width", paramLabel = "W", description = "Blocked search: how far past its own k-means block each text searches, so pairs across a block border still meet; larger finds more pairs for more work (default ${DEFAULT-VALUE}).")
  double probeWidth = BlockedSearch.DEFAULT_WIDTH;

  PairSearch search() {
    return new PairSearch(PairSearch.Mode.parse(search), blockedAbove, probeWidth, 0, PairSearch.defaults().seed());
  }

  /** What is wrong with these options, in one line, or null. */
  String problem() {
    try {
      PairSearch.Mode.parse(search);
    } catch (IllegalArgumentException e) {
      return "--search: " + e.getMessage();
    }
    if (blockedAbove < 0) return "--blocked-above must be >= 0, got " + blockedAbove;
    if (!(probeWidth >= 0)) return "--probe-width must be >= 0, got " + probeWidth;
    return null;
  }
}
