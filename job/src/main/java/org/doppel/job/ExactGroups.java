package org.doppel.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;

/**
 * Documents with the same normalised text (same bytes included) form one exact group; each group's text is
 * embedded once. Built on the driver from metadata only (no texts).
 */
public final class ExactGroups {
  private final Map<String, List<DocumentRow>> byText = new LinkedHashMap<>();
  private final Map<String, String> textByDoc = new HashMap<>();

  public ExactGroups(List<DocumentRow> okDocuments) {
    List<DocumentRow> sorted = new ArrayList<>(okDocuments);
    sorted.sort(Comparator.comparing(DocumentRow::path));
    for (DocumentRow d : sorted) {
      byText.computeIfAbsent(d.textSha256(), k -> new ArrayList<>()).add(d);
      textByDoc.put(d.docId(), d.textSha256());
    }
  }

  /** The document embedded for each text: the first member by path. */
  public Set<String> representativeIds() {
    Set<String> ids = new HashSet<>();
    for (List<DocumentRow> g : byText.values()) ids.add(g.get(0).docId());
    return ids;
  }

  /** Texts that more than one document has. */
  public Set<String> sharedTexts() {
    Set<String> out = new HashSet<>();
    for (Map.Entry<String, List<DocumentRow>> e : byText.entrySet()) if (e.getValue().size() > 1) out.add(e.getKey());
    return out;
  }

  public String textOf(String docId) {
    return textByDoc.get(docId);
  }

  /** Members of one text group, sorted by path. */
  public List<DocumentRow> members(String textSha256) {
    return byText.getOrDefault(textSha256, List.of());
  }

  public int distinctTexts() {
    return byText.size();
  }

  /**
   * Every unordered pair inside a group, once, path_a < path_b (evidence filled in later). Copies of a text
   * shorter than {@code minTerms} words pair only when their bytes are the same: many files whose whole text
   * is "Untitled" are not duplicates of each other.
   */
  public List<PairRow> exactPairs(int minTerms) {
    List<PairRow> out = new ArrayList<>();
    for (List<DocumentRow> group : byText.values()) {
      for (int i = 0; i < group.size(); i++) {
        for (int j = i + 1; j < group.size(); j++) {
          DocumentRow a = group.get(i), b = group.get(j);
          boolean sameBytes = a.sha256() != null && a.sha256().equals(b.sha256());
          if (!sameBytes && a.sketch().terms() < minTerms) continue;
          out.add(PairRow.exact(a, b, sameBytes ? "same bytes" : "same normalised text", null));
        }
      }
    }
    return out;
  }
}
