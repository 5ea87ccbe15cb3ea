package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * jina-embeddings-v2-base-en's model-card cosines (DESIGN.md), when a user supplies the weights:
 * DOPPEL_TEST_JINA_DIR = an HF folder (config.json, tokenizer.json, model.safetensors).
 */
class JinaReferenceTest {

  @Test
  void modelCardCosines() {
    String dir = System.getenv("DOPPEL_TEST_JINA_DIR");
    Assumptions.assumeTrue(dir != null && !dir.isBlank(),
        "DOPPEL_TEST_JINA_DIR not set: skipping the jina-embeddings-v2-base-en reference cosines");
    try (ChunkedEmbedder e = ChunkedEmbedder.load(EmbedderConfig.defaults().withModel(dir))) {
      assertEquals(768, e.dimension());
      assertEquals(Pooling.MEAN, e.pooling());
      List<DocumentEmbedding> v = e.embed(List.of(
          "How is the weather today?", "What is the current weather like today?",
          "I drew a dog.", "The storm is coming."));
      double c1 = OrtReference.cosine(v.get(0).vector(), v.get(1).vector());
      double c2 = OrtReference.cosine(v.get(2).vector(), v.get(3).vector());
      System.out.printf("jina-embeddings-v2-base-en cosines: %.7f (card 0.9341313), %.7f (card 0.6212821)%n", c1, c2);
      assertEquals(0.9341313, c1, 1e-3);
      assertEquals(0.6212821, c2, 1e-3);
    }
  }
}
