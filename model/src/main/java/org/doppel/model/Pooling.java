package org.doppel.model;

/** How token states of one window become one vector. */
public enum Pooling {
  /** Mean of the last hidden states over all real tokens of the window ([CLS] and [SEP] included). */
  MEAN,
  /** The last hidden state of the [CLS] token. */
  CLS
}
