package org.doppel.job.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS in this JVM (Hadoop's {@code MiniDFSCluster} from hadoop-client-minicluster, the Hadoop version Spark
 * brings): one NameNode and one DataNode on loopback at ports the OS picks, their storage under a folder the test
 * owns. Reach it through {@link #uri()} ({@code hdfs://localhost:PORT}) with {@link #configuration()}, or from Spark
 * with {@link #sparkConf()}.
 *
 * <pre>{@code
 * try (MiniHdfs hdfs = MiniHdfs.start(tempDir)) {
 *   Path docs = new Path(hdfs.uri().resolve("/docs"));
 *   try (FileSystem fs = FileSystem.newInstance(hdfs.uri(), hdfs.configuration())) { ... }
 * }
 * }</pre>
 */
public final class MiniHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;
  private final URI uri;

  private MiniHdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
    this.uri = URI.create("hdfs://localhost:" + cluster.getNameNodePort());
  }

  /** Starts the cluster with its NameNode and DataNode storage under {@code baseDir} (a test's temporary folder). */
  public static MiniHdfs start(Path baseDir) throws IOException {
    Path dir = Files.createDirectories(baseDir.resolve("minidfs"));
    Configuration conf = new HdfsConfiguration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toString());
    conf.setInt("dfs.replication", 1);
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, dir.toFile())
        .numDataNodes(1)
        .nameNodePort(0)
        .nameNodeHttpPort(0)
        .format(true)
        .build();
    try {
      cluster.waitActive();
      return new MiniHdfs(cluster);
    } catch (IOException | RuntimeException e) {
      cluster.shutdown(true);
      throw e;
    }
  }

  /** The file system's root, {@code hdfs://localhost:PORT}; {@code uri().resolve("/a/b")} names a path in it. */
  public URI uri() {
    return uri;
  }

  /** A copy of the cluster's client configuration ({@code fs.defaultFS} is this HDFS). */
  public Configuration configuration() {
    Configuration conf = new Configuration(cluster.getConfiguration(0));
    conf.set("fs.defaultFS", uri.toString());
    return conf;
  }

  /**
   * The {@code spark.hadoop.*} settings a Spark session (or the doppel CLI's {@code --conf}) needs beside full
   * {@code hdfs://localhost:PORT/...} paths: one replica per block, as there is one DataNode. Paths without a
   * scheme stay local; add {@code spark.hadoop.fs.defaultFS=}{@link #uri()} to make them mean this HDFS.
   */
  public Map<String, String> sparkConf() {
    return Map.of("spark.hadoop.dfs.replication", "1");
  }

  /** Closes the JVM's cached client for this HDFS (Spark's), stops the DataNode and NameNode, deletes their storage. */
  @Override
  public void close() {
    try {
      FileSystem.get(uri, configuration()).close();
    } catch (IOException | RuntimeException e) {
      // nothing cached to close, or it fails to close: the cluster stops all the same
    }
    cluster.shutdown(true);
  }
}
