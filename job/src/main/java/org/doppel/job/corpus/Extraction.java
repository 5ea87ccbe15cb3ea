package org.doppel.job.corpus;

import org.doppel.job.storage.LocalCopy;
import org.doppel.job.storage.Location;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.doppel.extractors.ExtractedDocument;
import org.doppel.extractors.ExtractionStatus;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.extractors.LexicalSketch;
import org.doppel.extractors.TextNormalizer;
import org.doppel.extractors.TikaExtractor;
import org.doppel.job.data.DocumentRow;
import org.doppel.job.data.InputFile;
import org.doppel.job.exec.PerExecutor;

/**
 * files -> documents: Tika extraction in Spark partitions, one shared extractor per executor JVM. A container file
 * gives its own row plus one row per embedded document (archive entry, e-mail attachment, at every level).
 */
public final class Extraction {
  private Extraction() {}

  /** @param files the files to extract, already spread over the partitions extraction should use */
  public static JavaRDD<DocumentRow> extract(JavaRDD<InputFile> files, ExtractorConfig config) {
    return files.mapPartitions(it -> {
      TikaExtractor extractor = PerExecutor.extractor(config);
      List<DocumentRow> rows = new ArrayList<>();
      while (it.hasNext()) rows.addAll(toRows(it.next(), extractor));
      return rows.iterator();
    });
  }

  /** The file's row followed by the rows of the documents embedded in it (sorted by path). */
  static List<DocumentRow> toRows(InputFile f, TikaExtractor extractor) {
    if (f.listError() != null) return List.of(errorRow(f, f.listError()));
    Location at = Location.of(f.absolutePath());
    ExtractedDocument file;
    if (at.localPath() != null) {
      file = extractor.extract(at.localPath(), f.path());
    } else {
      try (LocalCopy copy = LocalCopy.of(at)) { // Tika and its forked parsers read local files
        file = extractor.extract(copy.path(), f.path());
      } catch (IOException | RuntimeException e) {
        return List.of(errorRow(f, "cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
    }
    List<DocumentRow> rows = new ArrayList<>(1 + file.embedded().size());
    for (ExtractedDocument d : file.allDocuments()) rows.add(toRow(f, d));
    return rows;
  }

  private static DocumentRow errorRow(InputFile f, String why) {
    return new DocumentRow(f.docId(), f.input(), f.path(), -1, null, null, null, ExtractionStatus.ERROR.label(), why, 0, 0,
        LexicalSketch.EMPTY, "", null);
  }

  private static DocumentRow toRow(InputFile f, ExtractedDocument d) {
    boolean ok = d.status() == ExtractionStatus.OK;
    String text = ok ? d.text() : "";
    return new DocumentRow(f.docIdOf(d.path()), f.input(), d.path(), d.sizeBytes(), d.sha256(),
        ok ? TextNormalizer.sha256Hex(text) : null, d.mediaType(), d.status().label(), d.statusDetail(),
        text.length(), d.modifiedMillis(), ok ? LexicalSketch.of(text) : LexicalSketch.EMPTY, text, d.parent());
  }
}
