package org.doppel.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes F32 tensors in the safetensors format (tests only). */
final class SafetensorsWriter {
  private SafetensorsWriter() {}

  static void write(Path file, Map<String, OnnxWeights.Tensor> tensors) throws IOException {
    JsonObject header = new JsonObject();
    JsonObject meta = new JsonObject();
    meta.addProperty("format", "pt");
    header.add("__metadata__", meta);
    long off = 0;
    for (Map.Entry<String, OnnxWeights.Tensor> e : tensors.entrySet()) {
      JsonObject t = new JsonObject();
      t.addProperty("dtype", "F32");
      JsonArray shape = new JsonArray();
      for (long d : e.getValue().dims()) shape.add(d);
      t.add("shape", shape);
      long n = e.getValue().size() * 4;
      JsonArray offs = new JsonArray();
      offs.add(off);
      offs.add(off + n);
      t.add("data_offsets", offs);
      header.add(e.getKey(), t);
      off += n;
    }
    byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
    int pad = (8 - h.length % 8) % 8;
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length + pad);
      out.write(len.array());
      out.write(h);
      for (int i = 0; i < pad; i++) out.write(' ');
      for (OnnxWeights.Tensor t : tensors.values()) {
        ByteBuffer src = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        byte[] b = new byte[src.remaining()];
        src.get(b);
        out.write(b);
      }
    }
  }

  /** [rows, cols] little-endian float32 transposed to [cols, rows]. */
  static OnnxWeights.Tensor transpose(OnnxWeights.Tensor t) {
    int rows = (int) t.dims()[0];
    int cols = (int) t.dims()[1];
    ByteBuffer src = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer dst = ByteBuffer.allocate(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) dst.putFloat((c * rows + r) * 4, src.getFloat((r * cols + c) * 4));
    }
    return new OnnxWeights.Tensor(new long[] {cols, rows}, dst);
  }
}
