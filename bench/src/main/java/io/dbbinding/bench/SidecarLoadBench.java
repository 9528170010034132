package io.dbbinding.bench;

import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.LoadGenerator;
import io.dbbinding.testing.ProcessStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One sidecar with the image's flags under load: throughput and latency of /health and /health/db
 * at 1, 16 and 64 keep-alive connections with the queries the database received, /health against a
 * bare JDK server, and the RSS right after the load and once the burst's heap is given back.
 */
final class SidecarLoadBench {
  private static final Duration RUN = Duration.ofSeconds(5);
  private static final Duration QUIET = Duration.ofSeconds(15);

  private final SidecarJvm jvm;
  private final EmbeddedPostgres pg;
  private final String url;
  private final boolean nmt;

  /**
   * @param nmt whether the JVM tracks its native memory, and the bench prints where it is
   */
  SidecarLoadBench(SidecarJvm jvm, EmbeddedPostgres pg, String url, boolean nmt) {
    this.jvm = jvm;
    this.pg = pg;
    this.url = url;
    this.nmt = nmt;
  }

  /** The runs at each path and number of connections, and what the measures take from them. */
  private record Runs(
      List<String> table, long requests, double health64, double db64, double worstQps) {}

  /** The sidecar's side by the bare server's at 64 connections, alternating rounds. */
  private record AgainstBare(double ratio, List<String> runs) {}

  /** The table of measures against their targets, then the table of runs and how they ran. */
  List<String> run() throws Exception {
    int port = FreePorts.any();
    List<String> tracked = new ArrayList<>(jvm.shipping());
    if (nmt) {
      tracked.add("-XX:NativeMemoryTracking=summary");
    }
    Process p = SidecarProcesses.start(tracked, url, port);
    SidecarProcesses.waitFor200(port, "/health");
    LoadGenerator.run(port, "/health", 16, Duration.ofSeconds(3)); // warm-up
    LoadGenerator.run(port, "/health/db", 16, Duration.ofSeconds(2));
    Runs runs = runs(port);
    long rssAfterLoad = ProcessStatus.of(p).rssKb().orElse(-1);
    AgainstBare bare = againstBare(port);
    // What a pod holds between bursts: the sidecar gives the heap a burst took back once the
    // requests stop (health.HeapRelease, which looks every second); probes only from here on.
    long quietStart = System.nanoTime();
    while (System.nanoTime() - quietStart < QUIET.toNanos()) {
      SidecarProcesses.waitFor200(port, "/health");
      Thread.sleep(1000);
    }
    long rssQuiet = ProcessStatus.of(p).rssKb().orElse(-1);
    if (nmt) {
      printNativeMemory(p);
    }
    int held = connections();
    SidecarProcesses.stop(p);
    List<String> lines = new ArrayList<>(measures(runs, rssAfterLoad, rssQuiet, bare, held));
    lines.add("");
    lines.addAll(runs.table());
    lines.add("");
    lines.add(
        "The load generator (bench/.../LoadGenerator.java, closed loop over keep-alive connections) runs on the same 2 cores as the sidecar; each run lasts "
            + RUN.toSeconds()
            + " s. Database queries are the checks the sidecar sent (`dbbinding_database_checks_total`, one `SELECT 1` each) during the run; HikariCP adds one validation round trip when it lends a connection idle for more than 500 ms.");
    return lines;
  }

  private static Runs runs(int port) throws Exception {
    List<String> table = new ArrayList<>();
    table.add(
        "| path | connections | requests/s | p50 (ms) | p99 (ms) | errors | database queries/s |");
    table.add("| --- | --- | --- | --- | --- | --- | --- |");
    long total = 0;
    double health64 = 0;
    double db64 = 0;
    double worstQps = 0;
    for (String path : List.of("/health", "/health/db")) {
      for (int conns : List.of(1, 16, 64)) {
        double before = SidecarProcesses.checks(port);
        LoadGenerator.Result r = LoadGenerator.run(port, path, conns, RUN);
        double qps = (SidecarProcesses.checks(port) - before) / (RUN.toMillis() / 1000.0);
        total += r.requests();
        worstQps = path.equals("/health/db") ? Math.max(worstQps, qps) : worstQps;
        if (conns == 64) {
          if (path.equals("/health")) {
            health64 = r.perSecond();
          } else {
            db64 = r.perSecond();
          }
        }
        String row =
            String.format(
                "| %s | %d | %.0f | %.2f | %.2f | %d | %.1f |",
                path, conns, r.perSecond(), r.p50Ms(), r.p99Ms(), r.errors(), Math.max(0, qps));
        System.out.println(row);
        table.add(row);
      }
    }
    return new Runs(table, total, health64, db64, worstQps);
  }

  /** The same load at a bare JDK server (same flags, no archive) in alternating rounds. */
  private AgainstBare againstBare(int port) throws Exception {
    int barePort = FreePorts.any();
    Process bare = SidecarProcesses.startBare(jvm.noArchive(), barePort);
    SidecarProcesses.waitFor200(barePort, "/health");
    LoadGenerator.run(barePort, "/health", 16, Duration.ofSeconds(3)); // warm-up
    List<Double> ratios = new ArrayList<>();
    List<String> ratioRuns = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      double b = LoadGenerator.run(barePort, "/health", 64, RUN).perSecond();
      double d = LoadGenerator.run(port, "/health", 64, RUN).perSecond();
      ratios.add(d / b);
      ratioRuns.add(String.format("%.0f/%.0f", d, b));
    }
    SidecarProcesses.stop(bare);
    return new AgainstBare(ratios.stream().sorted().toList().get(ratios.size() / 2), ratioRuns);
  }

  private static List<String> measures(
      Runs runs, long rssAfterLoad, long rssQuiet, AgainstBare bare, int held) {
    return List.of(
        "| measure | value | target |",
        "| --- | --- | --- |",
        String.format(
            "| RSS right after %,d requests | %d MiB | <= 66 MiB |",
            runs.requests(), rssAfterLoad / 1024),
        String.format(
            "| RSS after %d s of one probe a second that followed (the burst's heap given back)"
                + " | %d MiB | <= 66 MiB |",
            QUIET.toSeconds(), rssQuiet / 1024),
        String.format(
            "| /health at 64 connections | %.0f requests/s | >= 20,000 |", runs.health64()),
        String.format(
            "| /health/db at 64 connections vs /health | %.0f %% | >= 80 %% |",
            runs.db64() * 100 / runs.health64()),
        String.format(
            "| /health at 64 connections vs a bare JDK server with a constant body, median of"
                + " 3 alternating %ds rounds (requests/s, sidecar/bare: %s) | %.0f %% | >= 80 %% |",
            RUN.toSeconds(), String.join(", ", bare.runs()), bare.ratio() * 100),
        String.format(
            "| database queries/s during /health/db load (worst run) | %.1f | <= 2 |",
            Math.max(0, runs.worstQps())),
        "| database connections held by the sidecar | " + held + " | 1 |");
  }

  /** Where the sidecar's memory is, for whoever tunes the flags next (printed, not recorded). */
  private static void printNativeMemory(Process p) throws IOException {
    Process jcmd =
        new ProcessBuilder("jcmd", Long.toString(p.pid()), "VM.native_memory", "summary")
            .redirectErrorStream(true)
            .start();
    System.out.println(new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private int connections() throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'bench' AND application_name = 'dbbinding-sidecar'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
