package org.doppel.job.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

/**
 * Connected components of an undirected graph held as a Spark edge RDD, by the large-star / small-star
 * algorithm (Kiveris et al., "Connected Components in MapReduce and Beyond", SoCC 2014): each round links
 * every node to the smallest node of its neighbourhood, so components collapse into stars around their
 * smallest node in O(log n) rounds in practice (O(log^2 n) proven), where label propagation needs as many
 * rounds as the longest path. Two shuffles a round; nothing gathers on the driver but one counter.
 */
public final class ConnectedComponents {
  /** A bound far above the O(log^2 n) rounds the algorithm needs for any graph that fits a cluster. */
  private static final int MAX_ROUNDS = 200;

  /** Each node with an edge and the smallest node of its component (its label); rounds the algorithm took. */
  public record Result(JavaPairRDD<String, String> labels, int rounds) {}

  private ConnectedComponents() {}

  public static Result of(JavaPairRDD<String, String> edges, int partitions) {
    JavaPairRDD<String, String> current = edges.filter(e -> !e._1().equals(e._2()))
        .mapToPair(ConnectedComponents::downward).persist(StorageLevel.MEMORY_AND_DISK());
    int rounds = 0;
    while (true) {
      if (++rounds > MAX_ROUNDS) throw new IllegalStateException("connected components did not converge in " + MAX_ROUNDS + " rounds");
      LongAccumulator unsettled = edges.context().longAccumulator();
      JavaPairRDD<String, String> next = smallStar(largeStar(current, partitions, unsettled), partitions)
          .persist(StorageLevel.MEMORY_AND_DISK());
      next.count();
      // the large-star pass saw every node's whole neighbourhood: no unsettled node means the edges it read
      // were already stars around each component's smallest node (a retried task only adds to a non-zero count)
      if (unsettled.value() == 0) {
        next.unpersist();
        break;
      }
      current.unpersist();
      current = next;
    }
    JavaPairRDD<String, String> stars = current;
    JavaPairRDD<String, String> labels = stars.flatMapToPair(e -> List.of(e, new Tuple2<>(e._2(), e._2())).iterator())
        .distinct(partitions);
    return new Result(labels, rounds);
  }

  /** Edge (u, v) as (larger, smaller). */
  private static Tuple2<String, String> downward(Tuple2<String, String> e) {
    return e._1().compareTo(e._2()) > 0 ? e : e.swap();
  }

  /**
   * Every node u links each larger neighbour to the smallest node of u's closed neighbourhood. Counts the nodes
   * that are not yet settled (a node with both smaller and larger neighbours, or with two smaller ones): the
   * edges form stars around each component's smallest node exactly when there are none.
   */
  static JavaPairRDD<String, String> largeStar(JavaPairRDD<String, String> edges, int partitions, LongAccumulator unsettled) {
    return edges.flatMapToPair(e -> List.of(e, e.swap()).iterator())
        .groupByKey(partitions)
        .flatMapToPair(kv -> {
          String u = kv._1();
          TreeSet<String> around = new TreeSet<>();
          kv._2().forEach(around::add);
          String m = around.first().compareTo(u) < 0 ? around.first() : u;
          int smaller = around.headSet(u).size();
          if (smaller > 1 || (smaller == 1 && around.last().compareTo(u) > 0)) unsettled.add(1);
          List<Tuple2<String, String>> out = new ArrayList<>();
          for (String v : around) if (v.compareTo(u) > 0) out.add(new Tuple2<>(v, m));
          return out.iterator();
        });
  }

  /** Every node u links itself and each smaller neighbour to the smallest of them. */
  static JavaPairRDD<String, String> smallStar(JavaPairRDD<String, String> edges, int partitions) {
    return edges.mapToPair(ConnectedComponents::downward)
        .groupByKey(partitions)
        .flatMapToPair(kv -> {
          String u = kv._1();
          TreeSet<String> smaller = new TreeSet<>();
          kv._2().forEach(smaller::add);
          String m = smaller.first(); // every neighbour here is smaller than u
          List<Tuple2<String, String>> out = new ArrayList<>();
          for (String v : smaller) if (!v.equals(m)) out.add(new Tuple2<>(v, m));
          out.add(new Tuple2<>(u, m));
          return out.iterator();
        });
  }
}
