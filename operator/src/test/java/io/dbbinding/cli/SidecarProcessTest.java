package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.MissingClasses;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.ProcessStatus;
import io.dbbinding.testing.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbbinding sidecar} as a real process on the image's sidecar class path: it starts, serves,
 * and stops cleanly on SIGTERM.
 */
@Tag("integration")
class SidecarProcessTest {
  @TempDir Path dir;

  @Test
  void startsServesAndExitsZeroOnSigterm() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    int port = FreePorts.any();
    Path log = dir.resolve("stdout.log");
    ProcessBuilder pb = CliProcess.productionBuilder(log, "sidecar");
    pb.environment().put("DATABASE_URL", PostgresServer.rawUrl(db));
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("LOG_FORMAT", "json");
    long start = System.nanoTime();
    Process process = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest health =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build();
      Eventually.until(
          "the first 200 on /health",
          Duration.ofSeconds(30),
          () -> {
            try {
              return http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException | InterruptedException e) {
              return false;
            }
          });
      long firstOk = (System.nanoTime() - start) / 1_000_000;
      OptionalLong rss = ProcessStatus.of(process).rssKb();
      // Measured, not asserted: timing targets belong to bench/.
      System.out.printf(
          "sidecar process: first 200 on /health after %d ms; VmRSS: %s%n",
          firstOk, rss.isPresent() ? rss.getAsLong() + " kB" : "unknown");
      assertThat(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + port + "/health/ready"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
    } finally {
      process.destroyForcibly();
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).anyMatch(l -> l.contains("\"event\":\"application.startup\""));
    assertThat(lines).anyMatch(l -> l.contains("\"event\":\"application.shutdown\""));
    assertThat(lines).anyMatch(l -> l.contains("\"event\":\"database.connection.closed\""));
    assertThat(lines).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    MissingClasses.assertNoneIn(log);
  }
}
