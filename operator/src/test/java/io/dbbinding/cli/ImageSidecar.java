package io.dbbinding.cli;

import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.HttpStatus;
import io.dbbinding.testing.ImageJvmOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code dbbinding sidecar} as the image runs it: on the sidecar's class path, with the image's JVM
 * flags in the 80 MiB container of examples/kubernetes, its output to a log; and the requests a
 * test sends it.
 */
final class ImageSidecar implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(60);

  private final Process process;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ImageSidecar(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a sidecar with {@code env} (DATABASE_URL and the rest) and waits for /health. */
  static ImageSidecar start(Path log, Map<String, String> env) throws IOException {
    int port = FreePorts.any();
    List<String> jvm = new ArrayList<>(ImageJvmOptions.defaults());
    jvm.add("-XX:MaxRAM=80m");
    ProcessBuilder pb = CliProcess.productionBuilder(log, jvm, "sidecar");
    pb.directory(log.getParent().toFile()); // no .env but the test's
    pb.environment().putAll(env);
    pb.environment().put("PORT", Integer.toString(port));
    ImageSidecar sidecar = new ImageSidecar(pb.start(), port);
    URI health = sidecar.uri("/health");
    Eventually.until(
        "the sidecar's first 200 on /health",
        START,
        () -> {
          if (!sidecar.process.isAlive()) {
            throw new AssertionError(
                "the sidecar exited with " + sidecar.process.exitValue() + ":\n" + output(log));
          }
          return HttpStatus.of(sidecar.http, health) == 200;
        });
    return sidecar;
  }

  private static String output(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  int port() {
    return port;
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A browser's CORS preflight from {@code origin} for a GET of {@code path}. */
  HttpResponse<String> preflight(String path, String origin)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri(path))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET"));
  }

  /** Writes {@code request} as it is on a new connection and returns all the server answered. */
  String raw(String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }
  }

  /** SIGTERM, as the kubelet stops a pod; the exit code, or -1 if it did not exit in 30 s. */
  int stop() throws InterruptedException {
    process.destroy();
    return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() {
    process.destroyForcibly();
    http.close();
  }
}
