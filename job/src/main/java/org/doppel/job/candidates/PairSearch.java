package org.doppel.job.candidates;

import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.doppel.job.data.TextVector;
import org.doppel.model.ComputeDevice;
import org.doppel.model.CosineTiles;

/**
 * How candidate pairs are searched: {@code exact} (every pair, {@link PairwiseCosine}), {@code blocked}
 * (k-means blocks with multi-probe, {@link BlockedSearch}) or {@code auto} (exact up to {@code blockedAbove}
 * distinct texts, blocked above).
 *
 * @param blocks k-means blocks, 0 = {@link BlockedSearch#autoBlocks}
 * @param probeWidth how far past its own block each vector searches ({@link BlockedSearch#DEFAULT_WIDTH})
 * @param device where the cosine tiles run: {@code auto} = an executor's GPU when it has one ({@link CosineTiles})
 */
public record PairSearch(Mode mode, int blockedAbove, double probeWidth, int blocks, long seed, ComputeDevice device)
    implements Serializable {
  /**
   * Above this many distinct texts {@code auto} switches to blocked search. Measured (scripts/bench-pairs-scale,
   * 2 loaded cores): exact takes ~1 min at 100K texts and grows with N^2 (~4 min at 200K, ~25 min at 1M), while
   * its recall is 1 by construction; up to here the exact stage is a small part of the run (embedding 200K
   * texts takes hours), above it blocking saves minutes to hours for a measured recall below 1.
   */
  public static final int DEFAULT_BLOCKED_ABOVE = 200_000;

  public enum Mode {
    EXACT, BLOCKED, AUTO;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String s) {
      for (Mode m : values()) if (m.label().equals(s)) return m;
      throw new IllegalArgumentException("unknown search '" + s + "' (expected exact, blocked or auto)");
    }
  }

  public PairSearch {
    if (blockedAbove < 0) throw new IllegalArgumentException("blockedAbove must be >= 0: " + blockedAbove);
    if (!(probeWidth >= 0)) throw new IllegalArgumentException("probeWidth must be >= 0: " + probeWidth);
    if (blocks < 0) throw new IllegalArgumentException("blocks must be >= 0: " + blocks);
    if (device == null) device = ComputeDevice.AUTO;
  }

  public PairSearch(Mode mode, int blockedAbove, double probeWidth, int blocks, long seed) {
    this(mode, blockedAbove, probeWidth, blocks, seed, ComputeDevice.AUTO);
  }

  public PairSearch withDevice(ComputeDevice d) {
    return new PairSearch(mode, blockedAbove, probeWidth, blocks, seed, d);
  }

  public static PairSearch defaults() {
    return new PairSearch(Mode.AUTO, DEFAULT_BLOCKED_ABOVE, BlockedSearch.DEFAULT_WIDTH, 0, 42);
  }

  /** Whether n vectors are searched by blocks. */
  public boolean blocked(long n) {
    return mode == Mode.BLOCKED || (mode == Mode.AUTO && n > blockedAbove);
  }

  /**
   * The semantic candidates one search found: the hits (lazy, distributed), which search ran, and for a blocked search
   * its blocks and cost. {@link #release} frees what the search cached, once the hits were computed.
   */
  public record Found(JavaRDD<PairwiseCosine.Hit> hits, Mode used, BlockedSearch.Result blocked) {
    public void release() {
      if (blocked != null) blocked.release().run();
    }
  }

  /** Pairs of keys with cosine >= threshold, each once, by the search this configuration picks for n vectors. */
  public Found pairsAbove(JavaRDD<TextVector> vectors, long n, double threshold, int tileSize) {
    if (n < 2) return new Found(JavaSparkContext.fromSparkContext(vectors.context()).emptyRDD(), Mode.EXACT, null);
    int dim = vectors.first().vector().length;
    if (!blocked(n)) return new Found(PairwiseCosine.pairsAbove(vectors, n, dim, threshold, tileSize, device), Mode.EXACT, null);
    BlockedSearch.Result r = BlockedSearch.pairsAbove(vectors, n, dim, threshold, tileSize, blocks, probeWidth, seed, device);
    return new Found(r.hits(), Mode.BLOCKED, r);
  }
}
