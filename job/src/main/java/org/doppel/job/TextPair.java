package org.doppel.job;

import java.io.Serializable;

/** A decided pair of distinct texts (by text hash): its evidence and the decision's score. */
public record TextPair(String textA, String textB, PairEvidence evidence, double score) implements Serializable {}
