package org.doppel.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.doppel.job.eval.LabelledPairs;
import org.doppel.job.eval.Truth;
import org.doppel.job.report.Csv;
import org.doppel.job.report.Json;
import org.doppel.job.report.ReportWriter;
import org.doppel.job.report.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the report writer puts in a CSV, every reader gets back unchanged (ReportDiff, the eval code's truth and
 * labelled-pair readers, the tests' row maps), whatever the cells hold: commas, quotes, line breaks of either kind,
 * leading and trailing blanks, a null.
 */
class ReportCsvRoundTripTest {
  static final List<String> NASTY = List.of("plain.txt", "a, b.txt", "say \"hi\".txt", "passage line 1\nline 2\r\nline 3",
      " leading and trailing ", "\"quoted, multi\nline\"", "#hash", "", "caf\u00e9 \u2014 \u65e5\u672c");

  @TempDir
  Path tmp;

  @Test
  void reportCsvCellsReadBackEqualByEveryReader() throws IOException {
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < NASTY.size(); i++) {
      String cell = NASTY.get(i);
      rows.add(RowFactory.create(cell, "cluster " + i % 3, NASTY.get((i + 1) % NASTY.size()), "near", cell + " -> pdf",
          i % 4 == 0 ? null : cell, i / 7.0));
    }
    Table.Columns columns = new Table.Columns().string("file").string("cluster_id").string("doc_b").string("label")
        .string("transform").string("passage_a").column("score", DataTypes.DoubleType);
    new ReportWriter(tmp).write(new Table("pairs", spark.createDataFrame(rows, columns.schema()).coalesce(1)));
    Path csv = tmp.resolve("pairs.csv");

    List<List<String>> diffRows = ReportDiff.readCsv(csv, new ArrayList<>());
    assertEquals(List.of("file", "cluster_id", "doc_b", "label", "transform", "passage_a", "score"), diffRows.get(0));
    assertEquals(rows.size(), diffRows.size() - 1, "one record per row, multi-line cells included");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      List<String> got = diffRows.get(i + 1);
      for (int c = 0; c < r.length(); c++) {
        assertEquals(r.isNullAt(c) ? "" : String.valueOf(r.get(c)), got.get(c), "row " + i + " column " + c);
      }
    }
    assertEquals(diffRows.subList(1, diffRows.size()), Csv.read(csv).stream().map(m -> List.copyOf(m.values())).toList());

    Map<String, String> truth = Truth.clusters(csv); // trims, as hand-written truth files have padded cells
    assertEquals(NASTY.size(), truth.size());
    assertEquals("cluster 1", truth.get("leading and trailing"));
    assertEquals("cluster 1", truth.get("a, b.txt"));
    assertEquals("cluster 0", truth.get("passage line 1\nline 2\r\nline 3"));

    List<LabelledPairs.Pair> labelled = LabelledPairs.read(renameColumn(csv, "file", "doc_a"));
    assertEquals(rows.size(), labelled.size());
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(new LabelledPairs.Pair(NASTY.get(i), NASTY.get((i + 1) % NASTY.size()), "near", NASTY.get(i) + " -> pdf"),
          labelled.get(i));
    }
  }

  @Test
  void aCutShortReportIsADifferenceNotARow() throws IOException {
    Path whole = tmp.resolve("whole.csv");
    Csv.write(whole, List.of("a", "b"), List.of(List.of("x", "multi\nline")).iterator(), r -> r);
    String text = Files.readString(whole, StandardCharsets.UTF_8);
    assertEquals("a,b\r\nx,\"multi\nline\"\r\n", text, "RFC 4180 with CRLF record ends, as reports were always written");
    Path cut = Files.writeString(tmp.resolve("cut.csv"), text.substring(0, text.indexOf("line")));
    List<String> diffs = new ArrayList<>();
    assertNull(ReportDiff.readCsv(cut, diffs));
    assertTrue(diffs.get(0).contains("truncated"), diffs.toString());
    assertThrows(IOException.class, () -> Csv.read(cut));
  }

  @Test
  void summaryJsonIsJacksonWithNullsForNonFiniteNumbers() throws IOException {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("run_id", "r\"1\n");
    summary.put("pairs", 47L);
    summary.put("rate", Double.NaN);
    summary.put("inputs", List.of("a,b", "c"));
    summary.put("nested", Map.of("x", 1));
    summary.put("empty", Map.of());
    String text = Json.write(summary);
    assertTrue(text.contains("\n  \"pairs\": 47,\n"), "one key per line, as scripts/cluster-test reads it: " + text);
    JsonNode back = new ObjectMapper().readTree(text);
    assertEquals("r\"1\n", back.get("run_id").asText());
    assertTrue(back.get("rate").isNull());
    assertEquals("a,b", back.get("inputs").get(0).asText());
    Path file = Files.writeString(tmp.resolve("summary.json"), text);
    Map<String, String> values = ReportDiff.summaryValues(file, new ArrayList<>());
    assertEquals(Map.of("run_id", "\"r\\\"1\\n\"", "pairs", "47", "rate", "null"), values, "top-level scalars only");
  }

  private Path renameColumn(Path csv, String from, String to) throws IOException {
    List<List<String>> records = Csv.records(csv);
    List<String> header = new ArrayList<>(records.get(0));
    header.set(header.indexOf(from), to);
    Path out = tmp.resolve("renamed.csv");
    Csv.write(out, header, records.subList(1, records.size()).iterator(), r -> r);
    return out;
  }
}
