package io.dbbinding.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FaultProxy;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * At INFO, a sidecar probed every second logs only the changes of its answers: identical probes are
 * DEBUG, the database going away is one WARN with the reason, and its return one INFO. Metrics
 * still count every probe, and other paths keep their INFO line per request.
 */
@Tag("integration")
class QuietProbesTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void identicalProbesAreQuietAndEachChangeIsOneLine() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    // LOG_LEVEL=INFO, whatever an earlier test in this JVM configured.
    Logger health = context.getLogger("io.dbbinding.health");
    Level before = health.getLevel();
    health.setLevel(Level.INFO);
    try (FaultProxy proxy = new FaultProxy(db.primaryHost());
        Sidecar sidecar =
            Sidecar.start(
                Settings.load(
                    SettingSource.of(
                        Map.of(
                            "DATABASE_URL",
                            PostgresServer.rawUrl(proxy.route(db)),
                            "HEALTH_CACHE_TTL_MS",
                            "0",
                            "LOG_LEVEL",
                            "INFO"))),
                0)) {
      for (int i = 0; i < 100; i++) {
        assertThat(status(sidecar, "/health/ready")).isEqualTo(200);
      }
      assertThat(infoAndAbove(logs)).as("100 identical probes").isEmpty();

      proxy.cutAndRefuse(); // the database stops
      for (int i = 0; i < 10; i++) {
        assertThat(status(sidecar, "/health/ready")).isEqualTo(503);
      }
      List<ILoggingEvent> down = infoAndAbove(logs);
      assertThat(down).as("lines after the database stopped").hasSize(1);
      ILoggingEvent failed = down.get(0);
      assertThat(failed.getLevel()).isEqualTo(Level.WARN);
      assertThat(failed.getFormattedMessage()).isEqualTo("http.probe_changed");
      assertThat(keyValues(failed))
          .containsEntry("path", "/health/ready")
          .containsEntry("status", "503")
          .containsEntry("previous_status", "200");
      assertThat(keyValues(failed).get("reason")).startsWith("Database not ready: ");

      proxy.pass(); // and starts again
      int answered = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (status(sidecar, "/health/ready") != 200 && System.nanoTime() < deadline) {
        answered++;
        Thread.sleep(100);
      }
      for (int i = 0; i < 10; i++) {
        assertThat(status(sidecar, "/health/ready")).isEqualTo(200);
      }
      List<ILoggingEvent> back = infoAndAbove(logs);
      assertThat(back).as("lines after the database came back").hasSize(1);
      assertThat(back.get(0).getLevel()).isEqualTo(Level.INFO);
      assertThat(back.get(0).getFormattedMessage()).isEqualTo("http.probe_changed");
      assertThat(keyValues(back.get(0)))
          .containsEntry("status", "200")
          .containsEntry("previous_status", "503")
          .doesNotContainKey("reason");

      long probes = 100 + 10 + answered + 1 + 10;
      // The timer is recorded once the response is sent, so the last probe's may come a moment
      // after its client has the response: wait for it, then no more than that.
      Eventually.until(
          "every probe counted", Duration.ofSeconds(5), () -> readyProbes(sidecar) >= probes);
      assertThat(readyProbes(sidecar)).as("every probe is counted").isEqualTo(probes);

      assertThat(status(sidecar, "/")).isEqualTo(200);
      // The line is written once the response is sent: wait for it.
      List<ILoggingEvent> other = new ArrayList<>();
      Eventually.until(
          "the line of GET /",
          Duration.ofSeconds(5),
          () -> {
            other.addAll(infoAndAbove(logs));
            return !other.isEmpty();
          });
      assertThat(other).hasSize(1);
      assertThat(other.get(0).getFormattedMessage()).isEqualTo("http.request");
    } finally {
      root.detachAppender(logs);
      health.setLevel(before);
    }
  }

  /** The sidecar's lines at INFO and above since the last call. */
  private static List<ILoggingEvent> infoAndAbove(ListAppender<ILoggingEvent> logs) {
    List<ILoggingEvent> seen;
    synchronized (logs) {
      seen = List.copyOf(logs.list);
      logs.list.clear();
    }
    return seen.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .filter(e -> e.getLoggerName().startsWith("io.dbbinding.health"))
        .toList();
  }

  private static Map<String, String> keyValues(ILoggingEvent e) {
    return e.getKeyValuePairs().stream()
        .collect(Collectors.toMap(kv -> kv.key, kv -> String.valueOf(kv.value)));
  }

  private int status(Sidecar sidecar, String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static long readyProbes(Sidecar sidecar) {
    return sidecar
        .metrics()
        .find("http.server.requests")
        .tag("uri", "/health/ready")
        .timers()
        .stream()
        .mapToLong(Timer::count)
        .sum();
  }
}
