package org.doppel.model;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * scripts/bench-embed-ab: two builds of this module's main classes (BASE_CLASSES, NEW_CLASSES) in one
 * JVM, each in its own class loader over the same DJL/libtorch, embedding the same texts in
 * alternating runs (ABBA order). Load from other jobs then falls on both sides alike, so the paired
 * speed ratio means something on a busy shared machine where two separate runs would not.
 *
 * <p>Usage: PairedEmbedBench BASE_CLASSES NEW_CLASSES [rounds=8] [texts=24] [threads=2]
 */
public final class PairedEmbedBench {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int n = args.length > 3 ? Integer.parseInt(args[3]) : 24;
    int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    List<String> all = Corpora.benchTexts();
    List<String> texts = new ArrayList<>(all.subList(0, Math.min(n, all.size())));
    Object[] embedder = new Object[2];
    Method[] embed = new Method[2];
    for (int i = 0; i < 2; i++) {
      // Parent: the test classpath without this module's main classes (the script leaves them out).
      ClassLoader cl = new URLClassLoader(new URL[] {Path.of(args[i]).toUri().toURL()}, PairedEmbedBench.class.getClassLoader());
      Class<?> cfgClass = cl.loadClass("org.doppel.model.EmbedderConfig");
      Object cfg = cfgClass.getMethod("withThreads", int.class).invoke(cfgClass.getMethod("defaults").invoke(null), threads);
      Class<?> embedderClass = cl.loadClass("org.doppel.model.ChunkedEmbedder");
      embedder[i] = embedderClass.getMethod("load", cfgClass).invoke(null, cfg);
      embed[i] = embedderClass.getMethod("embed", List.class);
      embed[i].invoke(embedder[i], texts.subList(0, Math.min(8, texts.size()))); // warm-up
    }
    long tokens = 0;
    double[][] secs = new double[2][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < 2; k++) {
        int i = r % 2 == 0 ? k : 1 - k;
        long t0 = System.nanoTime();
        List<?> docs = (List<?>) embed[i].invoke(embedder[i], texts);
        secs[i][r] = (System.nanoTime() - t0) / 1e9;
        if (r == 0 && k == 0) {
          for (Object d : docs) {
            for (Object c : (List<?>) d.getClass().getMethod("chunks").invoke(d)) {
              tokens += (int) c.getClass().getMethod("tokens").invoke(c) + 2;
            }
          }
        }
      }
      System.out.printf("round %d: base %.2f s, new %.2f s%n", r, secs[0][r], secs[1][r]);
    }
    double[] ratio = new double[rounds];
    for (int r = 0; r < rounds; r++) ratio[r] = secs[0][r] / secs[1][r];
    Arrays.sort(ratio);
    double base = Arrays.stream(secs[0]).min().orElseThrow();
    double now = Arrays.stream(secs[1]).min().orElseThrow();
    System.out.printf("%d texts, %d tokens, %d threads: base %.0f tokens/s, new %.0f tokens/s (best of %d)%n",
        texts.size(), tokens, threads, tokens / base, tokens / now, rounds);
    System.out.printf("paired speed ratio new/base: median %.3f (min %.3f, max %.3f)%n",
        ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
  }
}
