package io.dbbinding.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile clients against the sidecar: a thousand idle connections, clients that send their headers
 * a byte at a time, a 1 MiB header, bytes that are not HTTP. Probes on other connections must keep
 * answering within their bound, without the server running out of threads.
 */
@Tag("integration")
class SidecarHardeningTest {
  private static final Duration PROBE_BOUND = Duration.ofMillis(1500);

  @Test
  void probesKeepAnsweringWhileHostileClientsHoldConnections() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Settings settings =
        Settings.load(
            SettingSource.of(
                Map.of("DATABASE_URL", PostgresServer.rawUrl(db), "LOG_LEVEL", "WARN")));
    List<Socket> idle = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    // Virtual threads, so that the platform threads counted below are the server's.
    ExecutorService attackers = Executors.newVirtualThreadPerTaskExecutor();
    try (Sidecar sidecar = Sidecar.start(settings, 0)) {
      int port = sidecar.port();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      // One request first: the client's own threads, and the server's, exist before the count.
      http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
          HttpResponse.BodyHandlers.discarding());
      attackers.submit(() -> {}).get();
      int platformThreadsBefore = Thread.getAllStackTraces().size();
      for (int i = 0; i < 1000; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        idle.add(s);
      }
      for (int i = 0; i < 12; i++) {
        attackers.submit(() -> slowHeaders(port, stop));
      }
      attackers.submit(() -> send(port, hugeHeader()));
      attackers.submit(() -> send(port, garbage()));
      Thread.sleep(300);

      for (int i = 0; i < 10; i++) {
        for (String path : new String[] {"/health", "/health/db", "/health/ready"}) {
          long start = System.nanoTime();
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          assertThat(r.statusCode()).as(path).isEqualTo(200);
          assertThat(took).as(path + " took").isLessThan(PROBE_BOUND);
        }
        Thread.sleep(100);
      }
      // Each exchange runs on a virtual thread: the slow clients park those, and the server's
      // platform threads (a carrier per core, the dispatcher, timers) do not grow with them.
      assertThat(Thread.getAllStackTraces().size())
          .as("platform threads, %d before the attack", platformThreadsBefore)
          .isLessThanOrEqualTo(
              platformThreadsBefore + Runtime.getRuntime().availableProcessors() + 4);
    } finally {
      stop.set(true);
      attackers.shutdownNow();
      attackers.awaitTermination(5, TimeUnit.SECONDS);
      for (Socket s : idle) {
        s.close();
      }
    }
  }

  /** Sends a request's headers one byte every 100 ms, for as long as the server listens. */
  private static void slowHeaders(int port, AtomicBoolean stop) {
    byte[] request =
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      for (byte b : request) {
        if (stop.get()) {
          return;
        }
        out.write(b);
        out.flush();
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException e) {
      // the server dropped us, as it should
    }
  }

  private static byte[] hugeHeader() {
    byte[] value = new byte[1024 * 1024];
    Arrays.fill(value, (byte) 'a');
    String head = "GET /health HTTP/1.1\r\nHost: x\r\nX-Huge: ";
    byte[] out = new byte[head.length() + value.length + 4];
    System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
    System.arraycopy(value, 0, out, head.length(), value.length);
    System.arraycopy(
        "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, out, head.length() + value.length, 4);
    return out;
  }

  private static byte[] garbage() {
    byte[] b = new byte[64 * 1024];
    new java.util.Random(42).nextBytes(b);
    return b;
  }

  private static void send(int port, byte[] bytes) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      s.getInputStream().read();
    } catch (IOException e) {
      // refused or reset: what a server should do with such a request
    }
  }
}
