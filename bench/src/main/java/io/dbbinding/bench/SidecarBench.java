package io.dbbinding.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sidecar as a separate process with the Dockerfile's JVM flags: start to first 200 (median of
 * 10), RSS, throughput and latency of /health and /health/db at 1, 16 and 64 keep-alive
 * connections, and the queries the database received during each run.
 */
public final class SidecarBench {
  private static final Path JAR = Path.of("target", "dbbinding.jar");
  private static final Duration RUN = Duration.ofSeconds(5);
  private static final int CONTAINER_LIMIT_MB = 80;

  public static void main(String[] args) throws Exception {
    List<String> flags = dockerfileFlags();
    Path archive = Path.of("target", "bench-cds.jsa");
    Files.deleteIfExists(archive);
    run(List.of("java", "-XX:ArchiveClassesAtExit=" + archive, "-jar", JAR.toString(), "--help"));
    flags =
        new ArrayList<>(
            flags.stream()
                .map(
                    f ->
                        f.startsWith("-XX:SharedArchiveFile=")
                            ? "-XX:SharedArchiveFile=" + archive
                            : f)
                .toList());
    // In its container the JVM sizes its heap from the memory limit (examples/kubernetes gives the
    // sidecar 80 MiB); MaxRAM makes it size the heap, initial and maximum, exactly as it would
    // there, where an -Xmx alone would leave the initial heap sized from this machine's memory.
    flags.add("-XX:MaxRAM=" + CONTAINER_LIMIT_MB + "m");

    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE bench");
      }
      String url = "postgresql://postgres@localhost:" + pg.getPort() + "/bench";
      List<String> lines = new ArrayList<>();
      lines.add(
          "JVM flags (the Dockerfile's JDK_JAVA_OPTIONS `"
              + dockerfileEnv().get("JDK_JAVA_OPTIONS")
              + "` and ENTRYPOINT, with the memory of the sidecar's "
              + CONTAINER_LIMIT_MB
              + " MiB container of examples/kubernetes): `"
              + String.join(" ", flags)
              + "`");
      lines.add("");

      List<Long> starts = new ArrayList<>();
      List<Long> rssAfterStart = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int port = 18123 + i;
        long t0 = System.nanoTime();
        Process p = start(flags, url, port);
        waitFor200(port, "/health");
        starts.add((System.nanoTime() - t0) / 1_000_000);
        rssAfterStart.add(rssKb(p));
        p.destroy();
        p.waitFor(20, TimeUnit.SECONDS);
      }
      System.out.println("starts (ms): " + starts);
      lines.add("| measure | value | target |");
      lines.add("| --- | --- | --- |");
      lines.add(
          "| start to first 200 on /health, median of 10 | "
              + Results.median(starts)
              + " ms (runs: "
              + starts
              + ") | <= 500 ms |");
      lines.add("| RSS after start, median | " + Results.median(rssAfterStart) / 1024 + " MiB | |");

      int port = 18200;
      // Native memory tracking costs memory itself: only on request, so that the RSS below is
      // that of the flags that ship.
      boolean nmt = Boolean.getBoolean("bench.nmt");
      List<String> tracked = new ArrayList<>(flags);
      if (nmt) {
        tracked.add("-XX:NativeMemoryTracking=summary");
      }
      Process p = start(tracked, url, port);
      waitFor200(port, "/health");
      LoadGenerator.run(port, "/health", 16, Duration.ofSeconds(3)); // warm-up
      LoadGenerator.run(port, "/health/db", 16, Duration.ofSeconds(2));
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
          double before = checks(port);
          LoadGenerator.Result r = LoadGenerator.run(port, path, conns, RUN);
          double qps = (checks(port) - before) / (RUN.toMillis() / 1000.0);
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
      long rssAfterLoad = rssKb(p);
      if (nmt) {
        // Where that memory is, for whoever tunes the flags next (printed, not recorded).
        Process jcmd =
            new ProcessBuilder("jcmd", Long.toString(p.pid()), "VM.native_memory", "summary")
                .redirectErrorStream(true)
                .start();
        System.out.println(
            new String(
                jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      }
      int held = connections(pg);
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS);
      lines.add(
          String.format(
              "| RSS after %,d requests | %d MiB | <= 64 MiB |", total, rssAfterLoad / 1024));
      lines.add(
          String.format("| /health at 64 connections | %.0f requests/s | >= 20,000 |", health64));
      lines.add(
          String.format(
              "| /health/db at 64 connections vs /health | %.0f %% | >= 80 %% |",
              db64 * 100 / health64));
      lines.add(
          String.format(
              "| database queries/s during /health/db load (worst run) | %.1f | <= 2 |",
              Math.max(0, worstQps)));
      lines.add("| database connections held by the sidecar | " + held + " | 1 |");
      lines.add("");
      lines.addAll(table);
      lines.add("");
      lines.add(
          "The load generator (bench/.../LoadGenerator.java, closed loop over keep-alive connections) runs on the same 2 cores as the sidecar; each run lasts "
              + RUN.toSeconds()
              + " s. Database queries are the checks the sidecar sent (`dbbinding_database_checks_total`, one `SELECT 1` each) during the run; HikariCP adds one validation round trip when it lends a connection idle for more than 500 ms.");
      if (nmt) {
        // Tracking inflates the RSS: a diagnostic run, not a result.
        System.out.println("bench: -Dbench.nmt=true, so bench/RESULTS.md is left as it was");
      } else {
        Results.write("sidecar", "Sidecar", lines);
      }
    }
    System.exit(0);
  }

  /** The JVM flags of the Dockerfile's ENTRYPOINT, so that the bench measures what ships. */
  static List<String> dockerfileFlags() throws IOException {
    String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
    Matcher m = Pattern.compile("ENTRYPOINT \\[(.*?)\\]", Pattern.DOTALL).matcher(dockerfile);
    if (!m.find()) {
      throw new IllegalStateException("no ENTRYPOINT in the Dockerfile");
    }
    List<String> flags = new ArrayList<>();
    Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
    while (q.find()) {
      flags.add(q.group(1));
    }
    int jar = flags.indexOf("-jar");
    return new ArrayList<>(flags.subList(1, jar));
  }

  /** The Dockerfile's ENV lines, which shape the JVM's memory too. */
  static java.util.Map<String, String> dockerfileEnv() throws IOException {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    for (String line : Files.readAllLines(Path.of("..", "Dockerfile"))) {
      Matcher m = Pattern.compile("^ENV ([A-Z_]+)=(\"([^\"]*)\"|\\S+)").matcher(line);
      if (m.find()) {
        env.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
      }
    }
    return env;
  }

  private static Process start(List<String> flags, String url, int port) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add("java");
    cmd.addAll(flags);
    cmd.addAll(List.of("-jar", JAR.toString(), "sidecar"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("DATABASE_URL", url);
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("LOG_LEVEL", "WARN");
    pb.environment().putAll(dockerfileEnv());
    return pb.start();
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  private static void waitFor200(int port, String path) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setConnectTimeout(200);
        c.setReadTimeout(1000);
        if (c.getResponseCode() == 200) {
          c.disconnect();
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no 200 on " + path + " within 30 s");
  }

  static long rssKb(Process p) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  /** The checks the sidecar has sent, from its own /metrics. */
  private static double checks(int port) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
    double sum = 0;
    try (var in = c.getInputStream()) {
      for (String line :
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("dbbinding_database_checks_total")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }

  private static int connections(EmbeddedPostgres pg) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'bench' AND application_name = 'dbbinding'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
