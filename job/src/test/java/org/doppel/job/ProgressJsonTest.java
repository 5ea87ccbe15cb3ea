package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.doppel.job.cli.DoppelCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --progress json}: every stderr line is one JSON object, stages in pipeline order, done <= total, summary last. */
class ProgressJsonTest {
  @Test
  void everyLineParsesAndStagesComeInOrder(@TempDir Path tmp) throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    String text = "Compost heaps need a balance of green and brown material, air and moisture to work well. ";
    Files.writeString(in.resolve("a.txt"), text.repeat(20));
    Files.writeString(in.resolve("b.txt"), text.repeat(20) + "One more sentence at the end of the copy.");
    Files.writeString(in.resolve("c.txt"), "Bicycle chains want cleaning and a little oil every few hundred miles.");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream before = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = DoppelCommand.execute(new String[] {"run", in.toString(), "--out", tmp.resolve("out").toString(),
          "--progress", "json", "--isolation", "thread"}, Map.of(), new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    } finally {
      System.setErr(before);
      System.clearProperty(Progress.FORMAT_PROPERTY);
    }
    assertEquals(0, exit);
    ObjectMapper json = new ObjectMapper();
    List<String> stagesDone = new ArrayList<>();
    JsonNode last = null;
    for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank()) continue;
      JsonNode n = json.readTree(line); // throws where a line is not JSON
      String event = n.get("event").asText();
      if (!event.equals("summary")) {
        assertTrue(n.get("done").asLong() <= n.get("total").asLong(), line);
        assertTrue(n.get("elapsed_s").asDouble() >= 0 && n.get("eta_s").asDouble() >= 0, line);
      }
      if (event.equals("stage_done")) stagesDone.add(n.get("stage").asText());
      last = n;
    }
    assertEquals(List.of("list", "extract", "embed", "pairs", "clusters", "write", "html"), stagesDone);
    assertEquals("summary", last.get("event").asText());
    assertEquals(1, last.get("pairs").asLong(), "the near copy, in the summary line: " + last);
  }
}
