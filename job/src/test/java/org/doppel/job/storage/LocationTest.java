package org.doppel.job.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.doppel.job.data.Input;
import org.doppel.job.output.OutputFolder;
import org.doppel.job.output.OutputPaths;
import org.junit.jupiter.api.Test;

/** How a path the user gives becomes a location, and the overlap rule on Hadoop URIs (no file system is opened). */
class LocationTest {
  @Test
  void localPathsAndFileUrisAreLocalEverythingElseIsHadoop() {
    assertInstanceOf(LocalLocation.class, Location.of("docs"));
    assertInstanceOf(LocalLocation.class, Location.of("/data/a:b.txt"), "a colon after a slash is no scheme");
    assertEquals(Path.of("/tmp/x y"), Location.of("file:///tmp/x%20y").localPath());
    Location s3 = Location.of("s3a://bucket/my docs/");
    assertInstanceOf(HadoopLocation.class, s3);
    assertEquals("s3a://bucket/my docs", s3.toString(), "one spelling: no trailing slash; spaces kept");
    assertEquals("my docs", s3.name());
    assertEquals("s3a://bucket/", s3.parent().toString());
    assertEquals("s3a://bucket/.my docs.lock", s3.sibling(".my docs.lock").toString());
    assertEquals("docs", Input.parse("hdfs://nn:8020/data/docs").name(), "an unnamed remote folder is named by its last component");
    assertEquals(new Input("contracts", "s3a://b/x"), Input.parse("contracts=s3a://b/x"));
  }

  @Test
  void containmentComparesSchemeAuthorityAndWholeComponents() {
    Location x = Location.of("hdfs://nn:8020/a/x");
    assertTrue(x.contains(Location.of("hdfs://nn:8020/a/x/y")));
    assertTrue(x.contains(Location.of("hdfs://NN:8020/a/x/")), "host names are case-blind");
    assertFalse(x.contains(Location.of("hdfs://nn:8020/a/xy")));
    assertFalse(x.contains(Location.of("hdfs://other:8020/a/x/y")));
    assertFalse(x.contains(Location.of("s3a://nn:8020/a/x/y")));
    assertFalse(Location.of("/a/x").contains(Location.of("hdfs://nn/a/x/y")), "a local path holds no remote one");
  }

  @Test
  void overlapsAreRefusedOnHadoopUrisAsOnLocalPaths() {
    String why = OutputPaths.problem(OutputPaths.inputs(List.of("s3a://b/docs")),
        List.of(new OutputPaths.Given("--out", "s3a://b/docs/report"), new OutputPaths.Given("--state", null)));
    assertTrue(why != null && why.contains("is inside the input folder s3a://b/docs"), why);
    assertNull(OutputPaths.problem(OutputPaths.inputs(List.of("s3a://b/docs")),
        List.of(new OutputPaths.Given("--out", "s3a://b/docs-report"), new OutputPaths.Given("--state", "s3a://c/docs"))));
    String same = OutputPaths.problem(OutputPaths.inputs(List.of("hdfs://nn/data")),
        List.of(new OutputPaths.Given("--out", "hdfs://nn/r"), new OutputPaths.Given("--state", "hdfs://nn/r/state")));
    assertTrue(same != null && same.contains("is inside --out hdfs://nn/r"), same);
    String root = OutputFolder.problem(Location.of("s3a://bucket/"), OutputFolder.Kind.REPORT, "--out");
    assertTrue(root != null && root.contains("root of its file system"), root);
  }
}
