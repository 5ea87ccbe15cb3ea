package org.doppel.job.cluster;

import java.util.Comparator;
import org.doppel.job.data.DocumentRow;

/** Which document of a cluster is kept; every rule ends with the path so the choice is deterministic. */
public enum KeepPolicy {
  /** The document with the most text. */
  LARGEST(Comparator.comparingInt(DocumentRow::chars).reversed()),
  /** The document with the oldest modification time. */
  OLDEST(Comparator.comparingLong(DocumentRow::modifiedMillis)),
  /** The document whose path sorts first. */
  FIRST_PATH((a, b) -> 0);

  private final Comparator<DocumentRow> order;

  KeepPolicy(Comparator<DocumentRow> primary) {
    this.order = primary.thenComparing(DocumentRow::path);
  }

  /** Sorts best-to-keep first. */
  public Comparator<DocumentRow> order() {
    return order;
  }

  public String label() {
    return name().toLowerCase().replace('_', '-');
  }

  public static KeepPolicy parse(String s) {
    for (KeepPolicy p : values()) if (p.label().equals(s)) return p;
    throw new IllegalArgumentException("unknown keep policy '" + s + "' (expected largest, oldest or first-path)");
  }
}
