package org.doppel.job.output;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.doppel.job.storage.Location;

/**
 * The file every folder Doppel writes carries ({@value #NAME}): which kind of output it is, the run that wrote it,
 * and, once the run finished it, the top-level entries it wrote. A folder is replaced only when it holds this marker
 * and nothing the marker does not list, so files a user put there are never deleted.
 *
 * @param complete false while the folder is being staged (its entries are not known yet)
 * @param entries  the folder's top-level entries when it was finished, the marker itself excluded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OutputMarker(String kind, int format, String runId, String doppel, String startedAt, String finishedAt,
                           boolean complete, List<String> entries) {
  public static final String NAME = ".doppel.json";
  public static final int FORMAT = 1;
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  static OutputMarker staging(OutputFolder.Kind kind, String runId) {
    return new OutputMarker(kind.label(), FORMAT, runId, Versions.get().getProperty("doppel", "dev"),
        Instant.now().toString(), null, false, null);
  }

  OutputMarker finished(List<String> written) {
    return new OutputMarker(kind, format, runId, doppel, startedAt, Instant.now().toString(), true, List.copyOf(written));
  }

  void write(Location dir) throws IOException {
    dir.resolve(NAME).replaceWith(JSON.writeValueAsString(this));
  }

  /** The marker in {@code dir}, or null when there is none or it cannot be read. */
  public static OutputMarker read(Path dir) {
    return read(Location.local(dir));
  }

  /** The marker in {@code dir}, or null when there is none or it cannot be read. */
  public static OutputMarker read(Location dir) {
    try {
      Location f = dir.resolve(NAME);
      return f.isFile() ? JSON.readValue(f.readString(), OutputMarker.class) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
