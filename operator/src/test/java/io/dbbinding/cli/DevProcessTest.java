package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.ProcessArguments;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbbinding dev} as a person runs it from the project root: an embedded PostgreSQL with the
 * example migrations applied, the three endpoints healthy, and Ctrl-C leaving no process and no
 * data directory behind.
 */
@Tag("integration")
class DevProcessTest {
  private static final Pattern URL =
      Pattern.compile("PostgreSQL 18 at postgresql://postgres@localhost:(\\d+)/postgres");

  @TempDir Path dir;

  @Test
  void servesAgainstAnEmbeddedDatabaseAndCtrlCLeavesNothingBehind() throws Exception {
    int port = FreePorts.any();
    Path log = dir.resolve("stdout.log");
    ProcessBuilder pb = CliProcess.builder(log, "dev").directory(Path.of("..").toFile());
    pb.environment().remove("DATABASE_URL");
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().remove("LOG_FORMAT"); // dev's default: text, for the person at the terminal
    Process process = pb.start();
    List<ProcessHandle> postgres = new ArrayList<>();
    Path dataDirectory = null;
    try {
      HttpClient http = HttpClient.newHttpClient();
      Eventually.until(
          "dev to serve /health/ready",
          Duration.ofSeconds(90),
          () -> status(http, port, "/health/ready") == 200);
      assertThat(get(http, port, "/health/db").body())
          .isEqualTo(
              "{\"status\":\"healthy\",\"service\":\"database\",\"provider\":\"postgresql\"}");
      assertThat(status(http, port, "/health")).isEqualTo(200);

      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(out).contains("applied 4 migration(s)").contains("schema version 3");
      assertThat(out.lines().filter(l -> l.contains("application.startup")))
          .as("the start-up log line, as text")
          .singleElement()
          .satisfies(l -> assertThat(l).contains(" INFO ").doesNotStartWith("{"));
      assertThat(out.lines()).noneMatch(l -> l.startsWith("{"));
      Matcher m = URL.matcher(out);
      assertThat(m.find()).as("the masked URL is printed").isTrue();
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:postgresql://localhost:" + m.group(1) + "/postgres", "postgres", "");
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT"
                      + " NULL")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(3);
      }

      // pg_ctl detaches the server from dev's process tree: find it by its port.
      String dbPort = m.group(1);
      ProcessHandle.allProcesses()
          .filter(
              p ->
                  ProcessArguments.of(p).contains("-p")
                      && ProcessArguments.after(p, "-p").equals(dbPort))
          .forEach(postgres::add);
      assertThat(postgres).as("the embedded server on port %s", dbPort).isNotEmpty();
      dataDirectory = dataDirectoryOf(postgres);
      assertThat(dataDirectory).isDirectory();

      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
    } finally {
      process.destroyForcibly();
    }
    for (ProcessHandle p : postgres) {
      p.onExit().get(10, TimeUnit.SECONDS);
      assertThat(p.isAlive()).as("PostgreSQL process %d", p.pid()).isFalse();
    }
    assertThat(dataDirectory).doesNotExist();
  }

  /** The postmaster's {@code -D}: its data directory. */
  private static Path dataDirectoryOf(List<ProcessHandle> postgres) {
    return postgres.stream()
        .map(p -> ProcessArguments.after(p, "-D"))
        .filter(d -> !d.isEmpty())
        .map(Path::of)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no PostgreSQL process with -D among " + postgres));
  }

  private static int status(HttpClient http, int port, String path) {
    try {
      return get(http, port, path).statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
