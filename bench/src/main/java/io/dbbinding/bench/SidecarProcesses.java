package io.dbbinding.bench;

import io.dbbinding.testing.ImageClassPath;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processes of the sidecar bench: the sidecar from the jar, as the image runs it, and the bare
 * JDK server it is compared with; and what the bench reads of them from outside.
 */
final class SidecarProcesses {
  /** Our classes as the image has them: the jar without a manifest Class-Path. */
  private static final Path JAR = Path.of("target", "dbbinding-plain.jar");

  private SidecarProcesses() {}

  /**
   * {@code java <flags> -cp <the sidecar's class path> io.dbbinding.cli.Main <args>}, as the
   * image's entrypoint runs the sidecar: our jar and only the jars the sidecar loads.
   */
  static List<String> java(List<String> flags, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("java");
    cmd.addAll(flags);
    cmd.add("-cp");
    cmd.add(ImageClassPath.of(JAR, ImageClassPath.sidecarJars()));
    cmd.add("io.dbbinding.cli.Main");
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** {@code dbbinding sidecar} as the image runs it, with the Dockerfile's environment. */
  static Process start(List<String> flags, String url, int port) throws IOException {
    List<String> cmd = java(flags, "sidecar");
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

  /** {@link BareServer} on the bench's class path, with the same flags. */
  static Process startBare(List<String> flags, int port) throws IOException {
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

  /** SIGTERM, and up to 20 s for the process to end. */
  static void stop(Process p) throws InterruptedException {
    p.destroy();
    p.waitFor(20, TimeUnit.SECONDS);
  }

  /** Runs a command to its end, its output discarded. */
  static void run(List<String> cmd) throws IOException, InterruptedException {
    new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  static void waitFor200(int port, String path) throws InterruptedException {
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

  /** CPU time (user and system) the process has used, from /proc; 10 ms resolution. */
  static long cpuMillis(Process p) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  /** The checks the sidecar has sent, from its own /metrics. */
  static double checks(int port) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openConnection();
    double sum = 0;
    try (var in = c.getInputStream()) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("dbbinding_database_checks_total")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }

  /** The Dockerfile's ENV lines, which shape the JVM's memory too. */
  static Map<String, String> dockerfileEnv() throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("..", "Dockerfile"))) {
      Matcher m = Pattern.compile("^ENV ([A-Z_]+)=(\"([^\"]*)\"|\\S+)").matcher(line);
      if (m.find()) {
        env.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
      }
    }
    return env;
  }
}
