package org.doppel.job.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Clusters that do not chain through hubs. Start from the connected components of the flagged pairs; in
 * each, the document the keep policy prefers is kept, and every other member must itself be similar to
 * the kept document ({@code admits(member, kept)}). Members that are not leave the cluster and are clustered again,
 * among themselves, by the same rule. So a boilerplate or template document that links two unrelated
 * groups cannot merge them: each group ends up around its own kept document.
 */
public final class GuardedComponents {
  private GuardedComponents() {}

  /** Clusters of two or more ids, each with its kept id first; deterministic for the same input. */
  public static List<List<String>> of(Collection<String[]> edges, Comparator<String> keepOrder,
                                      BiPredicate<String, String> admits) {
    Map<String, Set<String>> adjacent = new HashMap<>();
    for (String[] e : edges) {
      adjacent.computeIfAbsent(e[0], k -> new TreeSet<>()).add(e[1]);
      adjacent.computeIfAbsent(e[1], k -> new TreeSet<>()).add(e[0]);
    }
    List<List<String>> out = new ArrayList<>();
    Deque<Set<String>> todo = new ArrayDeque<>(components(new TreeSet<>(adjacent.keySet()), adjacent));
    while (!todo.isEmpty()) {
      Set<String> component = todo.poll();
      List<String> members = new ArrayList<>(component);
      members.sort(keepOrder);
      String kept = members.get(0);
      List<String> stay = new ArrayList<>(List.of(kept));
      Set<String> rest = new TreeSet<>();
      for (String m : members.subList(1, members.size())) {
        if (admits.test(m, kept)) stay.add(m);
        else rest.add(m);
      }
      if (stay.size() > 1) out.add(stay);
      if (rest.size() > 1) todo.addAll(components(rest, adjacent));
    }
    return out;
  }

  /** Connected components (of size >= 2) of the nodes, using only edges between them. */
  private static List<Set<String>> components(Set<String> nodes, Map<String, Set<String>> adjacent) {
    List<Set<String>> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String start : nodes) {
      if (!seen.add(start)) continue;
      Set<String> component = new LinkedHashSet<>();
      Deque<String> stack = new ArrayDeque<>(List.of(start));
      while (!stack.isEmpty()) {
        String x = stack.pop();
        component.add(x);
        for (String y : adjacent.getOrDefault(x, Set.of())) {
          if (nodes.contains(y) && seen.add(y)) stack.push(y);
        }
      }
      if (component.size() > 1) out.add(component);
    }
    return out;
  }
}
