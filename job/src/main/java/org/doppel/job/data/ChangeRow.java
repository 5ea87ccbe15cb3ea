package org.doppel.job.data;

import java.io.Serializable;

/**
 * One change since the previous run: a pair that is new or gone, or a document that joined, left or moved between
 * clusters ({@code docB}/{@code pathB} null then). {@code why} says what caused it: a document added, deleted or
 * edited, or, with both documents unchanged, a score that crossed the threshold.
 */
public record ChangeRow(String change, String docA, String docB, String pathA, String pathB, Double scorePrevious,
                        Double scoreNow, String clusterPrevious, String clusterNow, String why) implements Serializable {
  public static final String NEW_PAIR = "new_pair";
  public static final String GONE_PAIR = "gone_pair";
  public static final String JOINED = "joined_cluster";
  public static final String LEFT = "left_cluster";
  public static final String MOVED = "moved_cluster";
  /** Every kind, in the order the changes table lists them. */
  public static final java.util.List<String> KINDS = java.util.List.of(NEW_PAIR, GONE_PAIR, JOINED, LEFT, MOVED);
}
