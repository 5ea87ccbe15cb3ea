package org.doppel.job.cluster;

import java.io.Serializable;

/** One member of a duplicate cluster. {@code clusterId} is the kept document's id, so it is stable across runs. */
public record ClusterRow(String clusterId, String docId, String path, boolean keep, double scoreToKeep, int clusterSize)
    implements Serializable {}
