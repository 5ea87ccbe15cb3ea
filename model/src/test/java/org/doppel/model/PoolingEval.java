package org.doppel.model;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Best pair F1 over cosine thresholds on Clough-Stevenson (positives = exact + near), for each
 * pooling. Usage: PoolingEval [model] (default bge-small-en-v1.5).
 */
public final class PoolingEval {
  public static void main(String[] a) throws Exception {
    String model = a.length > 0 ? a[0] : null;
    Path root = Corpora.root().resolve("clough-stevenson-plagiarism");
    List<String[]> truth = new ArrayList<>();
    Map<String, Integer> idx = new HashMap<>();
    List<String> texts = new ArrayList<>();
    List<CSVRecord> records;
    try (Reader r = Files.newBufferedReader(root.resolve("ground_truth.csv"));
         CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
      records = p.getRecords();
    }
    for (CSVRecord rec : records) {
      String[] f = {rec.get("doc_a"), rec.get("doc_b"), rec.get("label")};
      for (int i = 0; i < 2; i++) {
        if (!idx.containsKey(f[i])) {
          idx.put(f[i], texts.size());
          texts.add(Corpora.read(root.resolve(f[i])));
        }
      }
      truth.add(f);
    }
    for (Pooling p : Pooling.values()) {
      try (ChunkedEmbedder e = ChunkedEmbedder.load(EmbedderConfig.defaults().withModel(model).withPooling(p))) {
        List<DocumentEmbedding> emb = e.embed(texts);
        int n = truth.size();
        double[] score = new double[n];
        boolean[] pos = new boolean[n];
        int positives = 0;
        for (int i = 0; i < n; i++) {
          String[] f = truth.get(i);
          score[i] = OrtReference.cosine(emb.get(idx.get(f[0])).vector(), emb.get(idx.get(f[1])).vector());
          pos[i] = f[2].equals("exact") || f[2].equals("near");
          if (pos[i]) positives++;
        }
        double bestF1 = 0, bestT = 0, bestP = 0, bestR = 0;
        for (int ti = 0; ti <= 1000; ti++) {
          double t = 0.5 + ti * 0.0005;
          int tp = 0, fp = 0;
          for (int i = 0; i < n; i++) {
            if (score[i] >= t) {
              if (pos[i]) tp++;
              else fp++;
            }
          }
          if (tp == 0) continue;
          double prec = tp / (double) (tp + fp), rec = tp / (double) positives;
          double f1 = 2 * prec * rec / (prec + rec);
          if (f1 > bestF1) {
            bestF1 = f1; bestT = t; bestP = prec; bestR = rec;
          }
        }
        System.out.printf("POOLING %s %s: %d pairs, %d positives: best F1 %.3f at cosine %.4f (P %.3f, R %.3f)%n",
            e.modelName(), p, n, positives, bestF1, bestT, bestP, bestR);
      }
    }
  }
}
