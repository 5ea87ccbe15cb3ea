package org.doppel.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the safetensors format: an 8-byte little-endian header length, a JSON header mapping each
 * tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the
 * header), then the raw little-endian data. F32 tensors are returned as slices of a read-only
 * memory map; F16 and BF16 are converted to F32. Other dtypes are reported, not guessed.
 */
final class Safetensors {
  private Safetensors() {}

  /** Tensors of one file, in header order, as float32 little-endian buffers. */
  static Map<String, OnnxWeights.Tensor> read(Path file) {
    Map<String, OnnxWeights.Tensor> out = new LinkedHashMap<>();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) throw new ModelLoadException("safetensors file " + file + " is truncated (" + size + " bytes)");
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      while (lenBuf.hasRemaining() && ch.read(lenBuf, lenBuf.position()) > 0) {}
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > 100_000_000L || 8 + headerLen > size) {
        throw new ModelLoadException(
            "safetensors file " + file + " has an invalid header length " + headerLen + " (not a safetensors file?)");
      }
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      while (hb.hasRemaining() && ch.read(hb, 8 + hb.position()) > 0) {}
      JsonObject header;
      try {
        header = JsonParser.parseString(new String(hb.array(), StandardCharsets.UTF_8)).getAsJsonObject();
      } catch (RuntimeException e) {
        throw new ModelLoadException("safetensors file " + file + " has an unreadable JSON header: " + e.getMessage(), e);
      }
      long dataStart = 8 + headerLen;
      long dataLen = size - dataStart;
      if (dataLen > Integer.MAX_VALUE) {
        throw new ModelLoadException(
            "safetensors file " + file + " holds more than 2 GB of data; shard it (model-0000X-of-0000N.safetensors)");
      }
      ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataLen).order(ByteOrder.LITTLE_ENDIAN);
      for (Map.Entry<String, JsonElement> e : header.entrySet()) {
        String name = e.getKey();
        if (name.equals("__metadata__")) continue;
        JsonObject t = e.getValue().getAsJsonObject();
        String dtype = t.get("dtype").getAsString();
        var shapeArr = t.getAsJsonArray("shape");
        long[] dims = new long[shapeArr.size()];
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
          dims[i] = shapeArr.get(i).getAsLong();
          n *= dims[i];
        }
        var offs = t.getAsJsonArray("data_offsets");
        long a = offs.get(0).getAsLong();
        long b = offs.get(1).getAsLong();
        int width = switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default -> 0;
        };
        if (width == 0) {
          // Integer buffers (e.g. position_ids) are not weights; skip them rather than fail.
          if (dtype.startsWith("I") || dtype.startsWith("U") || dtype.equals("BOOL")) continue;
          throw new ModelLoadException(
              "safetensors file " + file + ": tensor '" + name + "' has dtype " + dtype
                  + "; only F32, F16 and BF16 are supported");
        }
        if (a < 0 || b < a || b > dataLen || b - a != n * width) {
          throw new ModelLoadException(
              "safetensors file " + file + ": tensor '" + name + "' has data_offsets [" + a + ", " + b
                  + "] inconsistent with dtype " + dtype + " and shape " + java.util.Arrays.toString(dims)
                  + " (file data is " + dataLen + " bytes)");
        }
        ByteBuffer slice = data.slice((int) a, (int) (b - a)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(name, new OnnxWeights.Tensor(dims, width == 4 ? slice : toF32(slice, dtype, (int) n)));
      }
    } catch (IOException e) {
      throw new ModelLoadException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static ByteBuffer toF32(ByteBuffer src, String dtype, int n) {
    ByteBuffer dst = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
    boolean bf16 = dtype.equals("BF16");
    for (int i = 0; i < n; i++) {
      short h = src.getShort(i * 2);
      dst.putFloat(i * 4, bf16 ? Float.intBitsToFloat((h & 0xFFFF) << 16) : halfToFloat(h));
    }
    return dst;
  }

  /** IEEE 754 binary16 to float (exact; subnormals, infinities and NaN included). */
  static float halfToFloat(short h) {
    int bits = h & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1F;
    int mant = bits & 0x3FF;
    if (exp == 0x1F) return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
