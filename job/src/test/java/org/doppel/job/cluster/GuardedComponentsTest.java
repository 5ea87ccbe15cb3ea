package org.doppel.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleBiFunction;
import org.junit.jupiter.api.Test;

/** A hub (say, a template) linked to two unrelated groups does not merge them. */
class GuardedComponentsTest {
  @Test
  void hubDoesNotChainTwoGroups() {
    // groups {a1,a2,a3} and {b1,b2} are near-duplicates inside; "hub" passes the threshold with a1 and b1 only
    Set<String> groupA = Set.of("a1", "a2", "a3"), groupB = Set.of("b1", "b2");
    List<String[]> edges = List.of(new String[] {"a1", "a2"}, new String[] {"a2", "a3"}, new String[] {"a1", "a3"},
        new String[] {"b1", "b2"}, new String[] {"hub", "a1"}, new String[] {"hub", "b1"});
    Map<String, Integer> size = Map.of("hub", 50, "a1", 500, "a2", 400, "a3", 300, "b1", 200, "b2", 100);
    Comparator<String> largest = Comparator.comparing((String s) -> size.get(s)).reversed();
    ToDoubleBiFunction<String, String> cosine = (x, y) -> {
      if ((groupA.contains(x) && groupA.contains(y)) || (groupB.contains(x) && groupB.contains(y))) return 0.97;
      if (x.equals("hub") || y.equals("hub")) return (x.equals("a1") || y.equals("a1") || x.equals("b1") || y.equals("b1")) ? 0.94 : 0.7;
      return 0.3;
    };
    List<List<String>> clusters = GuardedComponents.of(edges, largest, (x, y) -> cosine.applyAsDouble(x, y) >= 0.88);
    // plain connected components give one cluster of 6; the guard keeps a1 (largest) with its group and
    // the hub, and re-clusters b1, b2 among themselves
    assertEquals(List.of(List.of("a1", "a2", "a3", "hub"), List.of("b1", "b2")), clusters);
  }

  @Test
  void chainWithoutHubStaysWhole() {
    List<String[]> edges = List.of(new String[] {"x", "y"}, new String[] {"y", "z"});
    List<List<String>> clusters = GuardedComponents.of(edges, Comparator.naturalOrder(), (a, b) -> true);
    assertEquals(List.of(List.of("x", "y", "z")), clusters);
  }
}
