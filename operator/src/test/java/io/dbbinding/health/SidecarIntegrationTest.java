package io.dbbinding.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.db.DataSources;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FaultProxy;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The sidecar over real HTTP against a real PostgreSQL, healthy and under faults. */
@Tag("integration")
class SidecarIntegrationTest {
  private static final Duration BOUND = Duration.ofMillis(1000 + 500);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static Settings settings(DatabaseUrl url, Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("DATABASE_URL", PostgresServer.rawUrl(url));
    env.putIfAbsent("DB_CONNECT_TIMEOUT_MS", "1000");
    env.putIfAbsent("ENVIRONMENT", "test");
    return Settings.load(SettingSource.of(env));
  }

  private HttpResponse<String> get(Sidecar sidecar, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GETs and returns the response with how long it took. */
  private Timed timed(Sidecar sidecar, String path) throws IOException, InterruptedException {
    long start = System.nanoTime();
    HttpResponse<String> r = get(sidecar, path);
    return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
  }

  private record Timed(HttpResponse<String> response, Duration took) {}

  @Test
  void allEndpointsAreHealthyWithTheDesignsBodiesOverOneConnection() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    try (Sidecar sidecar = Sidecar.start(settings(db, Map.of()), 0)) {
      HttpResponse<String> health = get(sidecar, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"healthy\",\"service\":\"api\"}");
      assertThat(health.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(health.headers().firstValue("X-Request-ID")).isPresent();

      HttpResponse<String> dbr = get(sidecar, "/health/db");
      assertThat(dbr.statusCode()).isEqualTo(200);
      assertThat(dbr.body())
          .isEqualTo(
              "{\"status\":\"healthy\",\"service\":\"database\",\"provider\":\"postgresql\"}");
      HttpResponse<String> ready = get(sidecar, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body())
          .isEqualTo("{\"status\":\"ready\",\"environment\":\"test\",\"database\":\"connected\"}");

      for (int i = 0; i < 50; i++) {
        assertThat(get(sidecar, "/health/db").statusCode()).isEqualTo(200);
      }
      assertThat(sidecar.pool().openConnections()).isEqualTo(1);
      assertThat(connectionsFromSidecar(db)).isEqualTo(1);
      String metrics = get(sidecar, "/metrics").body();
      assertThat(metrics)
          .contains("dbbinding_database_checks_total{result=\"healthy\"}")
          .contains("hikaricp_connections")
          .contains("http_server_requests_seconds_count");
      double queries =
          sidecar.metrics().counter("dbbinding.database.checks", "result", "healthy").count();
      assertThat(queries).as("52 probes within the 1 s cache cost few queries").isLessThan(10);
      // One timer per route and status (HttpApi keeps them in a map): the 51 GETs of /health/db
      // are its own, not mixed with /health's or /health/ready's. The last one is recorded just
      // after its response is sent, so it may not be counted yet.
      long dbCount =
          sidecar
              .metrics()
              .get("http.server.requests")
              .tags("method", "GET", "uri", "/health/db", "status", "200")
              .timer()
              .count();
      assertThat(dbCount).isBetween(50L, 51L);
    }
  }

  private static int connectionsFromSidecar(DatabaseUrl db) throws Exception {
    try (Connection c = PostgresServer.connect(TestDatabases.server().adminUrl());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dbbinding-sidecar' AND datname = '"
                    + db.database()
                    + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void aStoppedDatabaseIs503WithinTheBoundAndRecoversWithoutRestart() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    try (FaultProxy proxy = new FaultProxy(db.primaryHost());
        Sidecar sidecar =
            Sidecar.start(settings(proxy.route(db), Map.of("HEALTH_CACHE_TTL_MS", "0")), 0)) {
      assertThat(get(sidecar, "/health/db").statusCode()).isEqualTo(200);

      proxy.cutAndRefuse();
      for (String path : new String[] {"/health/db", "/health/ready"}) {
        Timed t = timed(sidecar, path);
        assertThat(t.response().statusCode()).isEqualTo(503);
        assertThat(t.took()).isLessThan(BOUND);
      }
      assertThat(get(sidecar, "/health/db").body())
          .isEqualTo("{\"detail\":\"Database unavailable\"}");
      assertThat(get(sidecar, "/health/ready").body())
          .isEqualTo("{\"detail\":\"Database not ready\"}");
      assertThat(get(sidecar, "/health").statusCode()).isEqualTo(200);

      proxy.pass();
      awaitRecovery(sidecar, db, "/health/ready", "database stopped");
    }
  }

  @Test
  void aHostThatNeverAnswersIs503WithinTheBoundAndThreadsStayBounded() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    try (FaultProxy proxy = new FaultProxy(db.primaryHost());
        Sidecar sidecar =
            Sidecar.start(settings(proxy.route(db), Map.of("HEALTH_CACHE_TTL_MS", "0")), 0)) {
      assertThat(get(sidecar, "/health/db").statusCode()).isEqualTo(200);
      proxy.stall();
      for (int i = 0; i < 12; i++) {
        Timed t = timed(sidecar, i % 2 == 0 ? "/health/db" : "/health/ready");
        assertThat(t.response().statusCode()).isEqualTo(503);
        assertThat(t.took()).isLessThan(BOUND);
      }
      // However long the database hangs, the sidecar's own threads stay within their pools.
      assertThat(threadsNamed("db-probe-")).isLessThanOrEqualTo(2);
      assertThat(threadsNamed("http-")).isLessThanOrEqualTo(16);
      assertThat(get(sidecar, "/health").statusCode()).isEqualTo(200);
      proxy.pass();
      proxy.resetAll();
      awaitRecovery(sidecar, db, "/health/db", "database host stalled");
    }
  }

  @Test
  void aSlowNetworkStaysHealthyAndTooSlowIs503WithinTheBound() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    try (FaultProxy proxy = new FaultProxy(db.primaryHost());
        Sidecar sidecar =
            Sidecar.start(settings(proxy.route(db), Map.of("HEALTH_CACHE_TTL_MS", "0")), 0)) {
      // Healthy before the fault; the first check also opens the pool's connection, which on a
      // loaded test machine can take longer than one check's bound.
      Eventually.until(
          "/health/db healthy before the fault",
          Duration.ofSeconds(30),
          () -> answers(sidecar, "/health/db"));

      proxy.latency(Duration.ofMillis(50));
      Timed slow = timed(sidecar, "/health/db");
      assertThat(slow.response().statusCode()).as("50 ms each way is still usable").isEqualTo(200);
      assertThat(slow.took()).isLessThan(BOUND);

      proxy.latency(Duration.ofSeconds(3));
      for (String path : new String[] {"/health/db", "/health/ready"}) {
        Timed t = timed(sidecar, path);
        assertThat(t.response().statusCode()).isEqualTo(503);
        assertThat(t.took()).isLessThan(BOUND);
      }
      assertThat(threadsNamed("db-probe-")).isLessThanOrEqualTo(2);

      proxy.latency(Duration.ZERO);
      proxy.resetAll();
      awaitRecovery(sidecar, db, "/health/db", "3 s of latency");
    }
  }

  @Test
  void aConnectionResetInTheMiddleOfAQueryIs503AndTheNextCheckReconnects() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    try (FaultProxy proxy = new FaultProxy(db.primaryHost());
        Sidecar sidecar =
            Sidecar.start(settings(proxy.route(db), Map.of("HEALTH_CACHE_TTL_MS", "0")), 0)) {
      assertThat(get(sidecar, "/health/db").statusCode()).isEqualTo(200);
      int before = proxy.connectionsAccepted();

      // Slow the wire down so that the reset lands while the check's query is on it.
      proxy.latency(Duration.ofMillis(400));
      CompletableFuture<HttpResponse<String>> during =
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + sidecar.port() + "/health/db"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Thread.sleep(200);
      proxy.latency(Duration.ZERO);
      proxy.resetAll();
      HttpResponse<String> r = during.get(BOUND.toMillis() + 500, TimeUnit.MILLISECONDS);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("{\"detail\":\"Database unavailable\"}");

      awaitRecovery(sidecar, db, "/health/db", "connection reset mid-query");
      assertThat(proxy.connectionsAccepted())
          .as("the pool opened a new connection")
          .isGreaterThan(before);
    }
  }

  private boolean answers(Sidecar sidecar, String path) {
    try {
      return get(sidecar, path).statusCode() == 200;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * Waits until {@code path} answers 200 again after {@code fault} ended, prints how long that took
   * (a "fault:" line for the README's report), and checks that no connection leaked.
   */
  private void awaitRecovery(Sidecar sidecar, DatabaseUrl db, String path, String fault) {
    long ended = System.nanoTime();
    Eventually.until(
        path + " healthy again after: " + fault,
        Duration.ofSeconds(30),
        () -> answers(sidecar, path));
    System.out.printf(
        "fault: %s; %s 200 again %d ms after it ended%n",
        fault, path, (System.nanoTime() - ended) / 1_000_000);
    assertNoLeakedConnection(sidecar, db);
  }

  /** After a fault the pool holds its one connection again, and PostgreSQL sees no other. */
  private static void assertNoLeakedConnection(Sidecar sidecar, DatabaseUrl db) {
    Eventually.until(
        "PostgreSQL to see at most the pool's one connection",
        Duration.ofSeconds(15),
        () -> {
          try {
            return connectionsFromSidecar(db) <= 1;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    assertThat(sidecar.pool().openConnections()).isLessThanOrEqualTo(1);
  }

  private static long threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .count();
  }

  @Test
  void aWrongPasswordIs503AndThePasswordIsNowhere() throws Exception {
    assumeTrue(
        TestDatabases.server().ownsConfiguration(), "needs a server whose pg_hba.conf we may edit");
    DatabaseUrl db = TestDatabases.newDatabase();
    String rightPassword = "Sup3r-S3cret-pw";
    String wrongPassword = "Wr0ng-S3cret-pw";
    DatabaseUrl good = TestDatabases.server().passwordRole("app_secure", rightPassword, db);
    DatabaseUrl bad =
        new DatabaseUrl(
            good.hosts(), good.database(), good.user(), wrongPassword, good.parameters());

    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.addAppender(logs);
    StringBuilder seen = new StringBuilder();
    try (Sidecar sidecar = Sidecar.start(settings(bad, Map.of("HEALTH_CACHE_TTL_MS", "0")), 0)) {
      for (String path : new String[] {"/health/db", "/health/ready", "/metrics", "/"}) {
        HttpResponse<String> r = get(sidecar, path);
        seen.append(r.body()).append(r.headers().map());
      }
      assertThat(get(sidecar, "/health/db").statusCode()).isEqualTo(503);
    } finally {
      root.detachAppender(logs);
    }
    try (Sidecar sidecar = Sidecar.start(settings(good, Map.of()), 0)) {
      assertThat(get(sidecar, "/health/db").statusCode()).isEqualTo(200);
    }
    for (ILoggingEvent e : logs.list) {
      seen.append(e.getFormattedMessage()).append(e.getKeyValuePairs());
      if (e.getThrowableProxy() != null) {
        seen.append(e.getThrowableProxy().getMessage());
      }
    }
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .contains("http.probe_changed");
    assertThat(seen.toString()).doesNotContain(wrongPassword).doesNotContain(rightPassword);
  }

  @Test
  void readinessWaitsForTheRequiredSchemaVersionWithoutRestart() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Migrator upTo2 =
        new Migrator(
            DataSources.unpooled(db, Duration.ofSeconds(5), Duration.ZERO),
            new MigrationOptions("public", "flyway_schema_history", "2", false));
    upTo2.migrate(
        MigrationSource.folders(
            java.util.List.of(java.nio.file.Path.of("..", "examples", "migrations"))));
    try (Sidecar sidecar =
        Sidecar.start(
            settings(db, Map.of("REQUIRED_SCHEMA_VERSION", "3", "HEALTH_CACHE_TTL_MS", "0")), 0)) {
      HttpResponse<String> behind = get(sidecar, "/health/ready");
      assertThat(behind.statusCode()).isEqualTo(503);
      assertThat(behind.body()).isEqualTo("{\"detail\":\"Schema version 2 is behind required 3\"}");

      new Migrator(
              DataSources.unpooled(db, Duration.ofSeconds(5), Duration.ZERO),
              MigrationOptions.defaults())
          .migrate(
              MigrationSource.folders(
                  java.util.List.of(java.nio.file.Path.of("..", "examples", "migrations"))));
      HttpResponse<String> ready = get(sidecar, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
    }
  }
}
