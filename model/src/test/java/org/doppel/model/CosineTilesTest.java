package org.doppel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pair searches' tile kernel against a double-precision reference computed here in Java: float32 and the GPU's
 * float16-filter-then-float32-rescore route (run on the CPU: libtorch 2.7 multiplies float16 there too) return the
 * same cells with the same scores, on clustered unit vectors whose cosines crowd around the threshold.
 */
class CosineTilesTest {
  static final int DIM = 384;
  static final float THRESHOLD = 0.9f;

  /** Rows around the same few centres (whatever the seed) at noise levels that put many cosines within a float16 step of the threshold. */
  static float[] clustered(int rows, long seed) {
    Random shared = new Random(7);
    float[][] centres = new float[12][DIM];
    for (float[] c : centres) for (int d = 0; d < DIM; d++) c[d] = (float) shared.nextGaussian();
    Random r = new Random(seed);
    float[] out = new float[rows * DIM];
    for (int i = 0; i < rows; i++) {
      float[] c = centres[r.nextInt(centres.length)];
      double noise = 0.2 + 0.25 * r.nextDouble();
      double norm = 0;
      for (int d = 0; d < DIM; d++) {
        out[i * DIM + d] = (float) (c[d] / Math.sqrt(DIM) + noise * r.nextGaussian() / Math.sqrt(DIM));
        norm += out[i * DIM + d] * out[i * DIM + d];
      }
      for (int d = 0; d < DIM; d++) out[i * DIM + d] /= (float) Math.sqrt(norm);
    }
    return out;
  }

  static Map<Long, Float> cells(CosineTiles tiles, float[] a, int rows, float[] b, int cols) {
    Map<Long, Float> out = new HashMap<>();
    int[] last = {-1, -1};
    tiles.score(a, rows, b, cols, DIM, THRESHOLD, (i, j, s) -> {
      assertTrue(i > last[0] || (i == last[0] && j > last[1]), "row-major order");
      last[0] = i;
      last[1] = j;
      out.put((long) i * cols + j, s);
    });
    return out;
  }

  @Test
  void float32AndFloat16RouteGiveTheReferenceCells() {
    int rows = 700, cols = 900;
    float[] a = clustered(rows, 1), b = clustered(cols, 2);
    Map<Long, Double> reference = new HashMap<>();
    int nearThreshold = 0;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double s = 0;
        for (int d = 0; d < DIM; d++) s += (double) a[i * DIM + d] * b[j * DIM + d];
        if (Math.abs(s - THRESHOLD) < CosineTiles.GUARD) nearThreshold++;
        if (s >= THRESHOLD) reference.put((long) i * cols + j, s);
      }
    }
    assertTrue(reference.size() > 1000 && nearThreshold > 1000,
        "the data must test the threshold: " + reference.size() + " cells pass, " + nearThreshold + " within the guard");
    for (CosineTiles.Precision p : CosineTiles.Precision.values()) {
      try (CosineTiles tiles = CosineTiles.on(Device.cpu(), p)) {
        Map<Long, Float> got = cells(tiles, a, rows, b, cols);
        int differ = 0;
        for (long cell : union(reference, got)) {
          Double want = reference.get(cell);
          Float have = got.get(cell);
          if (want == null || have == null) {
            double exact = want != null ? want : exactAt(a, b, cols, cell);
            assertEquals(THRESHOLD, exact, 1e-6, p + ": cell " + cell + " differs away from the threshold");
            differ++;
          } else {
            assertEquals(want, have, 2e-6, p + ": score of cell " + cell);
          }
        }
        System.out.printf("CosineTiles %s: %d cells (reference %d, %d within the guard), %d differ at the threshold%n", p,
            got.size(), reference.size(), nearThreshold, differ);
        assertTrue(differ <= 2, p + ": " + differ + " cells differ");
      }
    }
  }

  @Test
  void float16ProductsStayWithinAThirdOfTheGuard() {
    int rows = 300;
    float[] a = clustered(rows, 3);
    double worst = 0;
    try (CosineTiles half = CosineTiles.on(Device.cpu(), CosineTiles.Precision.FLOAT16)) {
      float[] products = half.products(a, rows, a, rows, DIM);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < rows; j++) {
          worst = Math.max(worst, Math.abs(products[i * rows + j] - CosineTiles.dot(a, i * DIM, a, j * DIM, DIM)));
        }
      }
    }
    System.out.printf("CosineTiles float16 product: max |error| %.3g (guard %.3g)%n", worst, CosineTiles.GUARD);
    assertTrue(worst > 1e-5, "the product really ran in float16 (max error " + worst + ")");
    assertTrue(worst < CosineTiles.GUARD / 3, "float16 error " + worst + " within the bound the guard assumes");
  }

  @Test
  void openResolvesTheDeviceAsTheEmbedderDoes() {
    try (CosineTiles auto = CosineTiles.open(ComputeDevice.AUTO, null)) {
      boolean gpu = auto.device().isGpu();
      assertEquals(gpu ? CosineTiles.Precision.FLOAT16 : CosineTiles.Precision.FLOAT32, auto.precision());
      assertEquals(gpu ? CosineTiles.GPU_TILE : 1024, auto.tileRows(1024));
    }
    try (CosineTiles cpu = CosineTiles.open(ComputeDevice.CPU, "0")) {
      assertEquals(Device.cpu(), cpu.device());
      assertEquals(CosineTiles.Precision.FLOAT32, cpu.precision());
    }
    if (GpuProbe.problem(ComputeDevice.GPU) != null) {
      ModelLoadException e = assertThrows(ModelLoadException.class, () -> CosineTiles.open(ComputeDevice.GPU, null));
      assertTrue(e.getMessage().startsWith("GPU requested but"), e.getMessage());
    }
  }

  private static java.util.Set<Long> union(Map<Long, Double> a, Map<Long, Float> b) {
    java.util.Set<Long> out = new java.util.TreeSet<>(a.keySet());
    out.addAll(b.keySet());
    return out;
  }

  private static double exactAt(float[] a, float[] b, int cols, long cell) {
    int i = (int) (cell / cols), j = (int) (cell % cols);
    double s = 0;
    for (int d = 0; d < DIM; d++) s += (double) a[i * DIM + d] * b[j * DIM + d];
    return s;
  }
}
