package io.dbbinding.bench;

import io.dbbinding.testing.ImageClassPath;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The sidecar as a separate process with the Dockerfile's JVM flags, on the image's sidecar class
 * path: start to first 200 (median of 5, {@link SidecarStartBench}), then RSS, throughput and
 * latency of /health and /health/db at 1, 16 and 64 keep-alive connections, and the queries the
 * database received during each run ({@link SidecarLoadBench}). One section of RESULTS.md for both.
 */
public final class SidecarBench {
  private SidecarBench() {}

  public static void main(String[] args) throws Exception {
    SidecarJvm jvm = SidecarJvm.ofImage();
    jvm.makeArchives();
    // Native memory tracking costs memory itself: only on request, so that the RSS measured is
    // that of the flags that ship.
    boolean nmt = Boolean.getBoolean("bench.nmt");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE bench");
      }
      String url = "postgresql://postgres@localhost:" + pg.getPort() + "/bench";
      List<String> lines = new ArrayList<>(header(jvm));
      lines.addAll(new SidecarStartBench(jvm, url).run());
      lines.add("");
      lines.addAll(new SidecarLoadBench(jvm, pg, url, nmt).run());
      if (nmt) {
        // Tracking inflates the RSS: a diagnostic run, not a result.
        System.out.println("bench: -Dbench.nmt=true, so bench/RESULTS.md is left as it was");
      } else {
        Results.write("sidecar", "Sidecar", lines);
      }
    }
    System.exit(0);
  }

  /** The flags the load runs with and what else shares the machine. */
  private static List<String> header(SidecarJvm jvm) throws IOException {
    return List.of(
        "JVM flags (the image's: operator/src/main/docker/jvm.options and jvm-defaults.options,"
            + " with the memory of the sidecar's "
            + SidecarJvm.CONTAINER_LIMIT_MB
            + " MiB container of examples/kubernetes): `"
            + String.join(" ", jvm.shipping())
            + "`",
        "",
        "Class path (the image's for the sidecar: our classes and the jars of operator/pom.xml's"
            + " `sidecar.artifactIds`, /app/sidecar-lib in the image): "
            + ImageClassPath.sidecarJars().stream()
                .map(jar -> "`" + jar.getFileName() + "`")
                .collect(Collectors.joining(", "))
            + ".",
        "",
        "Load average at the start of the run: " + loadAverage() + " (2 cores shared).",
        "");
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
  }
}
