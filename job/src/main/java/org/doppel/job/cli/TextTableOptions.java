package org.doppel.job.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.doppel.job.RunConfig;
import org.doppel.job.corpus.TextTables;
import org.doppel.job.data.Input;
import org.doppel.job.data.InputFile;
import org.doppel.job.data.TextTable;
import org.doppel.job.output.OutputPaths;
import picocli.CommandLine.Option;

/** {@code --text-table} and its columns (a picocli mixin of {@link CorpusOptions}); the reading is {@link TextTables}. */
public final class TextTableOptions {
  @Option(names = "--text-table", paramLabel = "[NAME=]PATH", description = "Also read each row of this Parquet or JSONL table (a file, or a folder of part files; a local path or a Hadoop URI: hdfs://, s3a://, ...) as one document whose text is already extracted (no Tika); repeatable, with or without input folders. NAME (default: the file or folder name without extensions) is its input name: a row's doc_id is a hash of NAME/<id>, its path NAME/<id> (just <id> when the table is the only input). Its other columns are added to the documents report. Example: --text-table articles=s3a://bucket/articles.parquet")
  List<String> tables = new ArrayList<>();

  @Option(names = "--id-column", paramLabel = "C", description = "Column of each --text-table row's id, unique in its table; a null, blank or repeated id makes an error row (default ${DEFAULT-VALUE}). Example: --id-column article_id")
  String idColumn = "id";

  @Option(names = "--text-column", paramLabel = "C", description = "Column of each --text-table row's text; null or blank is an empty row (default ${DEFAULT-VALUE}). Example: --text-column body")
  String textColumn = "text";

  @Option(names = "--text-table-format", paramLabel = "FORMAT", description = "auto: from the extension (.parquet; .jsonl, .ndjson, .json; compressed or not), a folder from the names of its files; or parquet, or jsonl (one JSON object a line) for every --text-table (default ${DEFAULT-VALUE}). Example: --text-table-format jsonl")
  String format = TextTable.AUTO;

  /** The tables as given (format and columns not yet checked), set by {@link #problem}. */
  List<TextTable> parsed = List.of();

  boolean given() {
    return !tables.isEmpty();
  }

  /**
   * One line saying what is wrong with the tables as given (a name, the format option, a name another input has, a
   * table that is, lies in or holds an output or an input folder), or null. Their files are looked at later, with
   * Spark ({@link #applyTo}).
   */
  String problem(List<Input> folders, boolean filesFrom, List<OutputPaths.Given> outputs) {
    if (tables.isEmpty()) return null;
    if (!List.of(TextTable.AUTO, TextTable.PARQUET, TextTable.JSONL).contains(format)) {
      return "--text-table-format must be auto, parquet or jsonl, got " + format;
    }
    if (idColumn.isBlank() || textColumn.isBlank()) return "--id-column and --text-column must name columns";
    List<TextTable> out = new ArrayList<>();
    List<Input> named = new ArrayList<>(folders);
    try {
      for (String t : tables) {
        TextTable table = TextTable.parse(t, format, idColumn, textColumn);
        if (filesFrom && table.name().equals(InputFile.LISTED)) {
          return "--text-table " + t + " is named " + InputFile.LISTED + ", the input of --files-from: name it, e.g. texts=" + t;
        }
        out.add(table);
        named.add(new Input(table.name(), table.location()));
      }
      Input.requireDistinctNames(named);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    List<OutputPaths.Given> inputs = new ArrayList<>(OutputPaths.inputs(folders.stream().map(Input::location).toList()));
    for (TextTable t : out) inputs.add(new OutputPaths.Given("--text-table", t.location()));
    String overlap = OutputPaths.problem(inputs, outputs);
    if (overlap != null) return overlap;
    parsed = out;
    return null;
  }

  /**
   * {@code cfg} with the tables, each with its format decided and its columns found by reading only its schema.
   *
   * @throws TextTables.Unusable one line naming the table that cannot be used (a usage error: nothing was done)
   */
  RunConfig applyTo(SparkSession spark, RunConfig cfg) {
    return parsed.isEmpty() ? cfg : cfg.withTables(TextTables.check(spark, parsed));
  }
}
