package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FaultProxy;
import io.dbbinding.testing.MissingClasses;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path of the sidecar on exactly the image's sidecar class path (only the jars
 * operator/pom.xml lists for it; see {@link io.dbbinding.testing.ImageClassPath}), with the image's
 * JVM flags: each endpoint, bad requests, the schema behind, the database stopped, a host that
 * never answers, a slow client, a wrong password, a bad setting, and SIGTERM. A class that only one
 * of these paths needs, in a jar that class path leaves out, fails here as a wrong status or as a
 * {@code NoClassDefFoundError} in the process's output, which every test reads at its end. The heap
 * released after a burst, and a flood of slow and idle clients, run on the same class path in
 * {@link SidecarHeapReleaseProcessTest} and {@link SidecarUnderAttackProcessTest}.
 */
@Tag("integration")
class SidecarPathsProcessTest {
  private static final List<Path> EXAMPLES = List.of(Path.of("..", "examples", "migrations"));

  /** A database check's bound (DB_CONNECT_TIMEOUT_MS) with room for a loaded test machine. */
  private static final Duration CHECK_BOUND = Duration.ofSeconds(3);

  @TempDir Path dir;

  @Test
  void everyEndpointEveryDatabaseFaultASlowClientAndSigterm() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    migrate(db, new MigrationOptions("public", "flyway_schema_history", "2", false));
    Path log = dir.resolve("sidecar.log");
    try (FaultProxy proxy = new FaultProxy(db.primaryHost());
        ImageSidecar sidecar =
            ImageSidecar.start(
                log,
                Map.of(
                    "DATABASE_URL", PostgresServer.rawUrl(proxy.route(db)),
                    "REQUIRED_SCHEMA_VERSION", "3",
                    "HEALTH_CACHE_TTL_MS", "0",
                    "ENVIRONMENT", "production",
                    "LOG_LEVEL", "DEBUG",
                    "LOG_FORMAT", "json"))) {
      CompletableFuture<Boolean> slowClientDropped =
          CompletableFuture.supplyAsync(() -> slowClientIsDropped(sidecar.port()));

      schemaBehindThenReached(sidecar, db);
      everyEndpoint(sidecar);
      badRequests(sidecar);
      databaseStoppedThenBack(sidecar, proxy);
      hostThatNeverAnswersThenBack(sidecar, proxy);
      assertThat(slowClientDropped.get(30, TimeUnit.SECONDS))
          .as("a client sending its headers a line a second is dropped")
          .isTrue();

      assertThat(sidecar.stop()).as("exit code after SIGTERM").isZero();
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
    for (String event :
        List.of(
            "application.startup",
            "http.probe_changed",
            "application.shutdown",
            "database.connection.closed")) {
      assertThat(lines).anyMatch(l -> l.contains("\"event\":\"" + event + "\""));
    }
    MissingClasses.assertNoneIn(log);
  }

  private static void schemaBehindThenReached(ImageSidecar sidecar, DatabaseUrl db)
      throws Exception {
    HttpResponse<String> behind = sidecar.get("/health/ready");
    assertThat(behind.statusCode()).isEqualTo(503);
    assertThat(behind.body()).isEqualTo("{\"detail\":\"Schema version 2 is behind required 3\"}");
    migrate(db, MigrationOptions.defaults());
    HttpResponse<String> ready = sidecar.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .isEqualTo(
            "{\"status\":\"ready\",\"environment\":\"production\",\"database\":\"connected\"}");
  }

  private static void everyEndpoint(ImageSidecar sidecar) throws Exception {
    HttpResponse<String> health =
        sidecar.send(HttpRequest.newBuilder(sidecar.uri("/health")).header("X-Request-ID", "r-1"));
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"healthy\",\"service\":\"api\"}");
    assertThat(health.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(health.headers().firstValue("X-Request-ID")).contains("r-1");

    HttpResponse<String> database = sidecar.get("/health/db");
    assertThat(database.statusCode()).isEqualTo(200);
    assertThat(database.body())
        .isEqualTo("{\"status\":\"healthy\",\"service\":\"database\",\"provider\":\"postgresql\"}");

    HttpResponse<String> root = sidecar.get("/");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.body()).startsWith("{\"message\":\"dbbinding\",\"version\":\"");
    assertThat(root.body()).endsWith("\"docs\":\"/openapi.json\"}");
    HttpResponse<String> openApi = sidecar.get("/openapi.json");
    assertThat(openApi.statusCode()).isEqualTo(200);
    assertThat(openApi.body()).contains("\"openapi\"", "/health/ready");
    HttpResponse<String> metrics = sidecar.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("http_server_requests_seconds_count")
        .contains("dbbinding_database_checks_total{result=\"healthy\"}")
        .contains("dbbinding_database_check_duration_seconds")
        .contains("hikaricp_connections");

    HttpResponse<String> missing = sidecar.get("/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("{\"detail\":\"Not Found\"}");
    HttpResponse<String> post =
        sidecar.send(
            HttpRequest.newBuilder(sidecar.uri("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.body()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
    HttpResponse<String> head =
        sidecar.send(
            HttpRequest.newBuilder(sidecar.uri("/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);

    HttpResponse<String> preflight = sidecar.preflight("/health/ready", "http://localhost:3000");
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
        .contains("http://localhost:3000");
  }

  /** Requests the sidecar refuses: each answers 400, and the sidecar keeps serving. */
  private static void badRequests(ImageSidecar sidecar) throws Exception {
    HttpResponse<String> otherOrigin = sidecar.preflight("/health", "https://evil.example");
    assertThat(otherOrigin.statusCode()).isEqualTo(400);
    assertThat(otherOrigin.body()).isEqualTo("{\"detail\":\"Disallowed CORS origin\"}");
    assertThat(sidecar.raw("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(sidecar.raw("GET /health HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    assertThat(sidecar.raw("GET /%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    assertThat(sidecar.get("/health").statusCode()).isEqualTo(200);
  }

  private static void databaseStoppedThenBack(ImageSidecar sidecar, FaultProxy proxy)
      throws Exception {
    proxy.cutAndRefuse();
    assertDatabaseProbesFail(sidecar);
    assertThat(sidecar.get("/health").statusCode()).isEqualTo(200);
    proxy.pass();
    awaitOk(sidecar, "/health/ready", "the database back");
  }

  /** /health/db and /health/ready answer 503 with the design's bodies. */
  private static void assertDatabaseProbesFail(ImageSidecar sidecar) throws Exception {
    HttpResponse<String> database = sidecar.get("/health/db");
    assertThat(database.statusCode()).isEqualTo(503);
    assertThat(database.body()).isEqualTo("{\"detail\":\"Database unavailable\"}");
    HttpResponse<String> ready = sidecar.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).isEqualTo("{\"detail\":\"Database not ready\"}");
  }

  private static void hostThatNeverAnswersThenBack(ImageSidecar sidecar, FaultProxy proxy)
      throws Exception {
    proxy.stall();
    for (String path : List.of("/health/db", "/health/ready")) {
      long start = System.nanoTime();
      HttpResponse<String> r = sidecar.get(path);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(r.statusCode()).as(path).isEqualTo(503);
      assertThat(took).as("%s against a host that never answers", path).isLessThan(CHECK_BOUND);
    }
    assertThat(sidecar.get("/health").statusCode()).isEqualTo(200);
    proxy.pass();
    proxy.resetAll();
    awaitOk(sidecar, "/health/db", "the host answering again");
  }

  private static void awaitOk(ImageSidecar sidecar, String path, String after) {
    Eventually.until(
        path + " 200 after " + after,
        Duration.ofSeconds(30),
        () -> {
          try {
            return sidecar.get(path).statusCode() == 200;
          } catch (IOException | InterruptedException e) {
            return false;
          }
        });
  }

  /**
   * Sends a request line, then a header line a second and never the end of the headers: true once
   * the server drops the connection (its request time limit is 5 s), false if it still holds it
   * after 20 s.
   */
  private static boolean slowClientIsDropped(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(1_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      out.write("GET /health HTTP/1.1\r\nHost: sidecar\r\n".getBytes(StandardCharsets.US_ASCII));
      for (int line = 0; line < 20; line++) {
        try {
          if (in.read() < 0) {
            return true;
          }
        } catch (SocketTimeoutException e) {
          // still open: one more line
        }
        out.write(("X-Slow-" + line + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      return false;
    } catch (IOException e) {
      return true; // reset by the server
    }
  }

  @Test
  void aWrongPasswordIs503WithTextLogsThatNeverShowIt() throws Exception {
    assumeTrue(
        TestDatabases.server().ownsConfiguration(), "needs a server whose pg_hba.conf we may edit");
    DatabaseUrl db = TestDatabases.newDatabase();
    String wrongPassword = "Wr0ng-Image-S3cret";
    DatabaseUrl good =
        TestDatabases.server().passwordRole("image_sidecar", "Right-Image-S3cret", db);
    DatabaseUrl bad =
        new DatabaseUrl(
            good.hosts(), good.database(), good.user(), wrongPassword, good.parameters());
    Path log = dir.resolve("wrong-password.log");
    try (ImageSidecar sidecar =
        ImageSidecar.start(
            log,
            Map.of(
                "DATABASE_URL", PostgresServer.rawUrl(bad),
                "LOG_FORMAT", "text",
                "LOG_LEVEL", "DEBUG"))) {
      assertDatabaseProbesFail(sidecar);
      assertThat(sidecar.stop()).as("exit code after SIGTERM").isZero();
    }
    assertThat(Files.readString(log))
        .contains("application.startup", "http.probe_changed", "application.shutdown")
        .doesNotContain(wrongPassword);
    MissingClasses.assertNoneIn(log);
  }

  @Test
  void aBadSettingAndHelpExitWithTheirCodes() throws Exception {
    Result badPort = run(Map.of("DATABASE_URL", "postgresql://app@localhost/app", "PORT", "abc"));
    assertThat(badPort.status()).isEqualTo(2);
    assertThat(badPort.output().strip())
        .isEqualTo("dbbinding: PORT must be a whole number from 1 to 65535, got 'abc'");
    Result noUrl = run(Map.of());
    assertThat(noUrl.status()).as(noUrl.output()).isEqualTo(2);
    assertThat(noUrl.output()).contains("DATABASE_URL");
    Result help = run(Map.of(), "--help");
    assertThat(help.status()).isZero();
    assertThat(help.output()).contains("REQUIRED_SCHEMA_VERSION");
  }

  private record Result(int status, Path log) {
    String output() throws IOException {
      return Files.readString(log);
    }
  }

  /** {@code dbbinding sidecar <options>} with {@code env} and no DATABASE_URL but the one given. */
  private Result run(Map<String, String> env, String... options) throws Exception {
    Path log = Files.createTempFile(dir, "sidecar", ".log");
    String[] args = new String[options.length + 1];
    args[0] = "sidecar";
    System.arraycopy(options, 0, args, 1, options.length);
    ProcessBuilder pb = CliProcess.productionBuilder(log, args).directory(dir.toFile());
    pb.environment().remove("DATABASE_URL");
    pb.environment().putAll(env);
    pb.environment().put("LOG_FORMAT", "text");
    Process process = pb.start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    process.destroyForcibly();
    assertThat(exited).as("dbbinding %s exited", List.of(args)).isTrue();
    MissingClasses.assertNoneIn(log);
    return new Result(process.exitValue(), log);
  }

  private static void migrate(DatabaseUrl db, MigrationOptions options) {
    new Migrator(DataSources.unpooled(db, Duration.ofSeconds(5), Duration.ZERO), options)
        .migrate(MigrationSource.folders(EXAMPLES));
  }
}
