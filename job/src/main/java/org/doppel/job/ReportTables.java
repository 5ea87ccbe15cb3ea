package org.doppel.job;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.doppel.job.report.Table;

/** Maps the pipeline's records onto the report contract (column names and order as in DESIGN.md). */
final class ReportTables {
  private final List<DocumentRow> docs;
  private final Map<String, TextVector> vectorByText = new HashMap<>();
  private final Map<String, String> clusterByDoc = new HashMap<>();
  private final List<PairRow> pairs;
  private final List<ClusterRow> clusters;

  ReportTables(List<DocumentRow> docs, List<TextVector> vectors, List<PairRow> pairs, List<ClusterRow> clusters) {
    this.docs = docs;
    this.pairs = pairs;
    this.clusters = clusters;
    for (TextVector v : vectors) vectorByText.put(v.textSha256(), v);
    for (ClusterRow c : clusters) clusterByDoc.put(c.docId(), c.clusterId());
  }

  Table documents() {
    Table t = new Table("documents").string("doc_id").string("path").column("size_bytes", DataTypes.LongType)
        .string("sha256").string("media_type").string("status").string("status_detail")
        .column("chars", DataTypes.IntegerType).column("chunks", DataTypes.IntegerType)
        .column("tokens", DataTypes.IntegerType).string("text_sha256").string("cluster_id").string("input")
        .column("modified_ms", DataTypes.LongType).string("parent").column("words", DataTypes.IntegerType);
    for (DocumentRow d : docs) {
      TextVector v = d.textSha256() == null ? null : vectorByText.get(d.textSha256());
      t.add(d.docId(), d.path(), d.sizeBytes(), d.sha256(), d.mediaType(), d.status(), d.statusDetail(), d.chars(),
          v == null ? 0 : v.chunks(), v == null ? 0 : v.tokens(), d.textSha256(), clusterByDoc.get(d.docId()),
          d.input(), d.modifiedMillis(), d.parent(), d.sketch() == null ? 0 : d.sketch().terms());
    }
    return t;
  }

  Table pairs() {
    Table t = new Table("pairs").string("doc_a").string("doc_b").string("path_a").string("path_b")
        .column("score", DataTypes.DoubleType).string("method").string("passage_a").string("passage_b")
        .column("passage_score", DataTypes.DoubleType).string("reason")
        .column("passage_a_start", DataTypes.IntegerType).column("passage_a_end", DataTypes.IntegerType)
        .column("passage_b_start", DataTypes.IntegerType).column("passage_b_end", DataTypes.IntegerType)
        .column("coverage_a", DataTypes.DoubleType).column("coverage_b", DataTypes.DoubleType).string("passages")
        .column("cosine", DataTypes.DoubleType).column("lexical_resemblance", DataTypes.DoubleType)
        .column("containment_a", DataTypes.DoubleType).column("containment_b", DataTypes.DoubleType);
    for (PairRow p : pairs) {
      PairEvidence e = p.evidence();
      Alignment al = p.alignment();
      Passage g = al == null ? null : al.best();
      t.add(p.docA(), p.docB(), p.pathA(), p.pathB(), p.score(), p.method(), g == null ? null : g.aText(),
          g == null ? null : g.bText(), g == null ? null : g.score(), p.reason(), g == null ? null : g.aStart(),
          g == null ? null : g.aEnd(), g == null ? null : g.bStart(), g == null ? null : g.bEnd(),
          al == null ? null : al.coverageA(), al == null ? null : al.coverageB(), al == null ? null : al.topJson(),
          e == null ? null : e.cosine(), e == null ? null : e.resemblance(), e == null ? null : e.containmentA(),
          e == null ? null : e.containmentB());
    }
    return t;
  }

  Table clusters() {
    Table t = new Table("clusters").string("cluster_id").string("doc_id").string("path")
        .column("keep", DataTypes.BooleanType).column("score_to_keep", DataTypes.DoubleType)
        .column("cluster_size", DataTypes.IntegerType);
    for (ClusterRow c : clusters) t.add(c.clusterId(), c.docId(), c.path(), c.keep(), c.scoreToKeep(), c.clusterSize());
    return t;
  }
}
