package org.doppel.model;

/** Shape of a BERT encoder, inferred from its weights (and config.json or the graph for heads). */
public record BertConfig(
    int hidden,
    int layers,
    int heads,
    int intermediate,
    int maxPositions,
    int vocab,
    int typeVocab,
    float layerNormEps) {

  public int headSize() {
    return hidden / heads;
  }
}
