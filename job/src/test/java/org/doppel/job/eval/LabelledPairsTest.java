package org.doppel.job.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ground_truth.csv reading and the flagged counts per label and transform on hand-made cases. */
class LabelledPairsTest {
  @TempDir
  Path dir;

  @Test
  void generatedTransformsSplitIntoTheirSteps() {
    assertEquals(List.of("typos", "format"), LabelledPairs.kinds("typos(rate=0.018)+format(docx->pdf)"));
    assertEquals(List.of("boilerplate", "truncate", "format"),
        LabelledPairs.kinds("boilerplate(header,page_lines)+truncate(keep=0.74)+format(docx->pdf)"));
    assertEquals(List.of("scanned_image_pdf"), LabelledPairs.kinds("scanned_image_pdf(pages=1-3,dpi=100)"));
    assertEquals(List.of("sentence_insert", "format"),
        LabelledPairs.kinds("sentence_insert(k=2)+sentence_insert(k=3)+format(txt)"));
  }

  @Test
  void aPairOfTwoVariantsCountsUnderTheStepsOfBoth() {
    assertEquals(List.of("format_change", "scanned_image_pdf"),
        LabelledPairs.kinds("[format_change(rtf->docx)] vs [scanned_image_pdf(pages=1-3,dpi=100)]"));
    assertEquals(List.of("ocr_noise", "format", "word_edits"),
        LabelledPairs.kinds("[ocr_noise(rate=0.02)+format(eml->pdf)] vs [word_edits(rate=0.016)+format(eml->txt)]"));
    assertEquals(List.of("format_change", "byte_copy"), LabelledPairs.kinds("[format_change(txt->md)] vs [byte_copy]"));
  }

  @Test
  void otherTransformsAreOneKindAsWritten() {
    assertEquals(List.of("cut"), LabelledPairs.kinds("cut"));
    assertEquals(List.of("via_source:cut+heavy"), LabelledPairs.kinds("via_source:cut+heavy"));
    assertEquals(List.of("byte_copy"), LabelledPairs.kinds("byte_copy"));
    assertEquals(List.of("hard_negative_same_family"), LabelledPairs.kinds("hard_negative_same_family"));
  }

  @Test
  void readsQuotedFieldsAndCrlf() throws IOException {
    Path csv = dir.resolve("ground_truth.csv");
    Files.writeString(csv, "doc_a,doc_b,label,transform,task\r\n"
        + "a.txt,b.pdf,near,\"boilerplate(header,footer_disclaimer)+format(txt->pdf)\",x\r\n"
        + "\"c, d.txt\",e.txt,different,random_negative,y\r\n\r\n");
    List<LabelledPairs.Pair> pairs = LabelledPairs.read(csv);
    assertEquals(List.of(new LabelledPairs.Pair("a.txt", "b.pdf", "near", "boilerplate(header,footer_disclaimer)+format(txt->pdf)"),
        new LabelledPairs.Pair("c, d.txt", "e.txt", "different", "random_negative")), pairs);
  }

  @Test
  void missingColumnIsAClearError() throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "file_a,file_b,label\nx,y,near\n");
    IOException e = assertThrows(IOException.class, () -> LabelledPairs.read(csv));
    assertEquals(true, e.getMessage().contains("doc_a"), e.getMessage());
  }

  @Test
  void countsPerLabelAndKindInEitherPairOrder() {
    List<LabelledPairs.Pair> truth = List.of(
        new LabelledPairs.Pair("a", "b", "exact", "format_change(txt->html)"),
        new LabelledPairs.Pair("a", "c", "near", "typos(rate=0.01)+format(txt)"),
        new LabelledPairs.Pair("a", "d", "near", "truncate(keep=0.8)+format(pdf)"),
        new LabelledPairs.Pair("a", "e", "different", "hard_negative_same_family"),
        new LabelledPairs.Pair("b", "e", "different", "random_negative"));
    // flagged: b-a (reversed), a-c, e-a (a false positive); missed: a-d
    List<LabelledPairs.Flagged> f = LabelledPairs.flagged(truth, List.of(List.of("b", "a"), List.of("a", "c"), List.of("e", "a")));
    assertEquals(List.of(
        new LabelledPairs.Flagged("different", "*", 2, 1),
        new LabelledPairs.Flagged("different", "hard_negative_same_family", 1, 1),
        new LabelledPairs.Flagged("different", "random_negative", 1, 0),
        new LabelledPairs.Flagged("exact", "*", 1, 1),
        new LabelledPairs.Flagged("exact", "format_change", 1, 1),
        new LabelledPairs.Flagged("near", "*", 2, 1),
        new LabelledPairs.Flagged("near", "format", 2, 1),
        new LabelledPairs.Flagged("near", "truncate", 1, 0),
        new LabelledPairs.Flagged("near", "typos", 1, 1)), f);
    assertEquals(0.5, f.get(5).rate(), 1e-12);
  }

  @Test
  void nothingPredictedFlagsNothing() {
    List<LabelledPairs.Pair> truth = List.of(new LabelledPairs.Pair("a", "b", "near", "cut"));
    assertEquals(List.of(new LabelledPairs.Flagged("near", "*", 1, 0), new LabelledPairs.Flagged("near", "cut", 1, 0)),
        LabelledPairs.flagged(truth, List.of()));
  }
}
