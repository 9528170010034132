package io.dbbinding.bench;

import io.dbbinding.testing.LoadGenerator;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private static final Duration QUIET = Duration.ofSeconds(15);
  private static final int CONTAINER_LIMIT_MB = 80;

  public static void main(String[] args) throws Exception {
    List<String> defaults = argfile(DOCKER.resolve("jvm-defaults.options"));
    List<String> fixed = argfile(DOCKER.resolve("jvm.options"));
    // The archives, made as the Dockerfile makes its own: by this JVM, with the image's flags.
    Path cds = Path.of("target", "bench-cds.jsa");
    Path aotHelp = Path.of("target", "bench-help.aot");
    Path aotServe = Path.of("target", "bench-serve.aot");
    for (Path f : List.of(cds, aotHelp, aotServe)) {
      Files.deleteIfExists(f);
    }
    run(java(defaults, "-XX:ArchiveClassesAtExit=" + cds, "-jar", JAR.toString(), "--help"));
    run(java(defaults, "-XX:AOTCacheOutput=" + aotHelp, "-jar", JAR.toString(), "--help"));
    // In its container the JVM sizes its heap from the memory limit (examples/kubernetes gives the
    // sidecar 80 MiB); MaxRAM makes it size the heap, initial and maximum, exactly as it would
    // there, where an -Xmx alone would leave the initial heap sized from this machine's memory.
    String container = "-XX:MaxRAM=" + CONTAINER_LIMIT_MB + "m";

    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start()) {
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE bench");
      }
      String url = "postgresql://postgres@localhost:" + pg.getPort() + "/bench";
      trainOnRequests(defaults, aotServe);

      List<String> noArchive =
          fixed.stream().filter(f -> !f.contains("/app/") && !f.startsWith("-Xshare")).toList();
      Map<String, List<String>> variants = new LinkedHashMap<>();
      variants.put("no archive", List.of());
      variants.put(
          "CDS archive of `--help` (the JDK 17 image's way)",
          List.of("-XX:SharedArchiveFile=" + cds, "-Xshare:auto"));
      variants.put("AOT cache (JEP 483/514/515) of `--help`", List.of("-XX:AOTCache=" + aotHelp));
      variants.put(
          "AOT cache of a sidecar serving its endpoints (the image's way: train-aot.sh)",
          List.of("-XX:AOTCache=" + aotServe));
      List<String> flags = new ArrayList<>();
      for (String f : fixed) {
        flags.add(
            f.replace("/app/dbbinding.jsa", cds.toString())
                .replace("/app/dbbinding.aot", aotServe.toString()));
      }
      flags.addAll(defaults);
      flags.add(container);

      List<String> lines = new ArrayList<>();
      lines.add(
          "JVM flags (the image's: operator/src/main/docker/jvm.options and jvm-defaults.options,"
              + " with the memory of the sidecar's "
              + CONTAINER_LIMIT_MB
              + " MiB container of examples/kubernetes): `"
              + String.join(" ", flags)
              + "`");
      lines.add("");
      lines.add("Load average at the start of the run: " + loadAverage() + " (2 cores shared).");
      lines.add("");

      // Interleaved rounds, so that the load of whatever else runs on the machine spreads evenly.
      Map<String, List<Long>> wall = new LinkedHashMap<>();
      Map<String, List<Long>> cpu = new LinkedHashMap<>();
      Map<String, List<Long>> rssAfterStart = new LinkedHashMap<>();
      int port;
      for (int round = 0; round < STARTS; round++) {
        for (Map.Entry<String, List<String>> v : variants.entrySet()) {
          List<String> startFlags = new ArrayList<>(noArchive);
          startFlags.addAll(v.getValue());
          startFlags.addAll(defaults);
          startFlags.add(container);
          port = freePort();
          long t0 = System.nanoTime();
          Process p = start(startFlags, url, port);
          waitFor200(port, "/health");
          wall.computeIfAbsent(v.getKey(), k -> new ArrayList<>())
              .add((System.nanoTime() - t0) / 1_000_000);
          cpu.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(cpuMillis(p));
          rssAfterStart.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(rssKb(p));
          p.destroy();
          p.waitFor(20, TimeUnit.SECONDS);
        }
      }
      lines.add(
          "| start of the sidecar, to the first 200 on /health (median of "
              + STARTS
              + ") | wall ms | CPU ms of the process | RSS after start | wall ms, each run |");
      lines.add("| --- | --- | --- | --- | --- |");
      for (String v : variants.keySet()) {
        String row =
            "| "
                + v
                + " | "
                + Results.median(wall.get(v))
                + " | "
                + Results.median(cpu.get(v))
                + " | "
                + Results.median(rssAfterStart.get(v)) / 1024
                + " MiB | "
                + wall.get(v)
                + " |";
        System.out.println(row);
        lines.add(row);
      }
      lines.add("");
      lines.add("| measure | value | target |");
      lines.add("| --- | --- | --- |");

      port = freePort();
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
      // The same load at a bare JDK server (same flags, no archive) in alternating rounds.
      int barePort = freePort();
      Process bare = startBare(noArchiveFlags(noArchive, defaults, container), barePort);
      waitFor200(barePort, "/health");
      LoadGenerator.run(barePort, "/health", 16, Duration.ofSeconds(3)); // warm-up
      List<Double> ratios = new ArrayList<>();
      List<String> ratioRuns = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        double b = LoadGenerator.run(barePort, "/health", 64, RUN).perSecond();
        double d = LoadGenerator.run(port, "/health", 64, RUN).perSecond();
        ratios.add(d / b);
        ratioRuns.add(String.format("%.0f/%.0f", d, b));
      }
      bare.destroy();
      bare.waitFor(20, TimeUnit.SECONDS);
      double ratio = ratios.stream().sorted().toList().get(ratios.size() / 2);
      // What a pod holds between bursts: the sidecar gives the heap a burst took back once the
      // requests stop (health.HeapRelease, which looks every 5 s); probes only from here on.
      long quietStart = System.nanoTime();
      while (System.nanoTime() - quietStart < QUIET.toNanos()) {
        waitFor200(port, "/health");
        Thread.sleep(1000);
      }
      long rssQuiet = rssKb(p);
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
              "| RSS right after %,d requests | %d MiB | <= 64 MiB |", total, rssAfterLoad / 1024));
      lines.add(
          String.format(
              "| RSS after %d s of one probe a second that followed (the burst's heap given back)"
                  + " | %d MiB | <= 64 MiB |",
              QUIET.toSeconds(), rssQuiet / 1024));
      lines.add(
          String.format("| /health at 64 connections | %.0f requests/s | >= 20,000 |", health64));
      lines.add(
          String.format(
              "| /health/db at 64 connections vs /health | %.0f %% | >= 80 %% |",
              db64 * 100 / health64));
      lines.add(
          String.format(
              "| /health at 64 connections vs a bare JDK server with a constant body, median of"
                  + " 3 alternating %ds rounds (requests/s, sidecar/bare: %s) | %.0f %% | >= 80 %% |",
              RUN.toSeconds(), String.join(", ", ratioRuns), ratio * 100));
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

  private static final Path DOCKER = Path.of("src", "main", "docker");
  private static final int STARTS = 5;

  /** An argfile's arguments: whitespace-separated, {@code #} to the end of a line ignored. */
  static List<String> argfile(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .map(l -> l.replaceAll("#.*", "").strip())
        .filter(l -> !l.isEmpty())
        .flatMap(l -> java.util.Arrays.stream(l.split("\\s+")))
        .toList();
  }

  private static List<String> java(List<String> flags, String... rest) {
    List<String> cmd = new ArrayList<>();
    cmd.add("java");
    cmd.addAll(flags);
    cmd.addAll(List.of(rest));
    return cmd;
  }

  private static List<String> noArchiveFlags(
      List<String> noArchive, List<String> defaults, String container) {
    List<String> flags = new ArrayList<>(noArchive);
    flags.addAll(defaults);
    flags.add(container);
    return flags;
  }

  /**
   * An AOT cache recorded as operator/src/main/docker/train-aot.sh records the image's: a sidecar
   * with no database starts, serves each endpoint a few hundred times and stops on SIGTERM, which
   * is when the JVM writes the cache.
   */
  private static void trainOnRequests(List<String> defaults, Path cache) throws Exception {
    List<String> flags = new ArrayList<>(defaults);
    flags.add("-XX:AOTCacheOutput=" + cache);
    int port = freePort();
    Process p = start(flags, "postgresql://training@127.0.0.1:1/training", port);
    waitFor200(port, "/health");
    for (String path : List.of("/health", "/health/db", "/health/ready", "/metrics", "/")) {
      LoadGenerator.run(port, path, 1, Duration.ofMillis(300));
    }
    p.destroy();
    if (!p.waitFor(120, TimeUnit.SECONDS) || !Files.exists(cache)) {
      throw new IllegalStateException("the training run wrote no AOT cache at " + cache);
    }
  }

  private static Process startBare(List<String> flags, int port) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java"));
    cmd.addAll(flags);
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            BareServer.class.getName(),
            Integer.toString(port)));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** CPU time (user and system) the process has used, from /proc; 10 ms resolution. */
  static long cpuMillis(Process p) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  private static String loadAverage() throws IOException {
    return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
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
    // Its output, for when a start fails: target/bench-sidecar.log.
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(Path.of("target", "bench-sidecar.log").toFile()));
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
