package org.doppel.job;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.doppel.extractors.ExtractedDocument;
import org.doppel.extractors.ExtractionStatus;
import org.doppel.extractors.ExtractorConfig;
import org.doppel.extractors.LexicalSketch;
import org.doppel.extractors.TextNormalizer;
import org.doppel.extractors.TikaExtractor;

/** files -> documents: Tika extraction in Spark partitions, one shared extractor per executor JVM. */
public final class Extraction {
  private Extraction() {}

  public static JavaRDD<DocumentRow> extract(JavaSparkContext jsc, List<InputFile> files, ExtractorConfig config, int partitions) {
    int slices = Math.max(1, Math.min(files.size(), partitions));
    return jsc.parallelize(files, slices).mapPartitions(it -> {
      TikaExtractor extractor = PerExecutor.extractor(config);
      List<DocumentRow> rows = new ArrayList<>();
      while (it.hasNext()) rows.add(toRow(it.next(), extractor));
      return rows.iterator();
    });
  }

  static DocumentRow toRow(InputFile f, TikaExtractor extractor) {
    String docId = DocumentRow.docIdFor(f.path());
    if (f.listError() != null) {
      return new DocumentRow(docId, f.input(), f.path(), -1, null, null, null, ExtractionStatus.ERROR.label(),
          f.listError(), 0, 0, LexicalSketch.EMPTY, "");
    }
    ExtractedDocument d = extractor.extract(Path.of(f.absolutePath()), f.path());
    boolean ok = d.status() == ExtractionStatus.OK;
    String text = ok ? d.text() : "";
    return new DocumentRow(docId, f.input(), f.path(), d.sizeBytes(), d.sha256(),
        ok ? TextNormalizer.sha256Hex(text) : null, d.mediaType(), d.status().label(), d.statusDetail(),
        text.length(), d.modifiedMillis(), ok ? LexicalSketch.of(text) : LexicalSketch.EMPTY, text);
  }
}
