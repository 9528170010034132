package io.dbbinding.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.db.DatabaseConnectionError;
import io.dbbinding.db.DatabaseError;
import io.dbbinding.db.IntegrityError;
import io.dbbinding.db.NotFoundError;
import io.dbbinding.db.ValidationError;
import io.dbbinding.migrate.SchemaVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sidecar's routes, bodies, errors, request ids and CORS, without a socket. */
class HttpApiTest {
  private final AtomicInteger checks = new AtomicInteger();
  private CheckResult next = CheckResult.healthy(Optional.empty());

  private HttpApi api(Map<String, String> env) {
    Settings settings = Settings.load(SettingSource.of(env));
    HealthEndpoints endpoints =
        new HealthEndpoints(
            settings,
            "neon",
            () -> {
              checks.incrementAndGet();
              return next;
            },
            () -> "# metrics\n");
    Router router =
        endpoints
            .router()
            .get(
                "/boom/notfound",
                r -> {
                  throw new NotFoundError("No such order");
                })
            .get(
                "/boom/invalid",
                r -> {
                  throw new ValidationError("Bad quantity");
                })
            .get(
                "/boom/integrity",
                r -> {
                  throw new IntegrityError("Duplicate order");
                })
            .get(
                "/boom/db",
                r -> {
                  throw new DatabaseConnectionError("The database cannot be reached");
                })
            .get(
                "/boom/bug",
                r -> {
                  throw new IllegalStateException("secret internals");
                });
    return new HttpApi(router, new Cors(settings.allowedOrigins()), new SimpleMeterRegistry());
  }

  private HttpApi api() {
    return api(Map.of("ENVIRONMENT", "production", "APP_NAME", "orders", "VERSION", "1.2.3"));
  }

  private static Response get(HttpApi api, String path) {
    return api.respond(Request.get(path), "rid-1");
  }

  @Test
  void healthNeverTouchesTheDatabase() {
    HttpApi api = api();
    Response r = get(api, "/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo("application/json");
    assertThat(r.bodyText()).isEqualTo("{\"status\":\"healthy\",\"service\":\"api\"}");
    assertThat(checks).hasValue(0);
  }

  @Test
  void databaseAndReadinessBodiesAreTheDesignsOnes() {
    HttpApi api = api();
    assertThat(get(api, "/health/db").bodyText())
        .isEqualTo("{\"status\":\"healthy\",\"service\":\"database\",\"provider\":\"neon\"}");
    assertThat(get(api, "/health/ready").bodyText())
        .isEqualTo(
            "{\"status\":\"ready\",\"environment\":\"production\",\"database\":\"connected\"}");
    assertThat(get(api, "/").bodyText())
        .isEqualTo("{\"message\":\"orders\",\"version\":\"1.2.3\",\"docs\":\"/openapi.json\"}");
    assertThat(get(api, "/metrics").bodyText()).isEqualTo("# metrics\n");
    assertThat(get(api, "/metrics").contentType()).startsWith("text/plain");
  }

  @Test
  void anUnhealthyDatabaseIs503WithTheDesignsDetail() {
    HttpApi api = api();
    next = CheckResult.unhealthy("The database cannot be reached");
    Response db = get(api, "/health/db");
    assertThat(db.status()).isEqualTo(503);
    assertThat(db.bodyText()).isEqualTo("{\"detail\":\"Database unavailable\"}");
    Response ready = get(api, "/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.bodyText()).isEqualTo("{\"detail\":\"Database not ready\"}");
    assertThat(get(api, "/health").status()).isEqualTo(200);
  }

  @Test
  void readinessWaitsForTheRequiredSchemaVersion() {
    HttpApi api = api(Map.of("REQUIRED_SCHEMA_VERSION", "5"));
    next = CheckResult.healthy(Optional.of(SchemaVersion.parse("3")));
    Response behind = get(api, "/health/ready");
    assertThat(behind.status()).isEqualTo(503);
    assertThat(behind.bodyText())
        .isEqualTo("{\"detail\":\"Schema version 3 is behind required 5\"}");
    next = CheckResult.healthy(Optional.empty());
    assertThat(get(api, "/health/ready").bodyText())
        .isEqualTo("{\"detail\":\"Schema version none is behind required 5\"}");
    next = CheckResult.healthy(Optional.of(SchemaVersion.parse("5.0")));
    assertThat(get(api, "/health/ready").status()).isEqualTo(200);
    next = CheckResult.healthy(Optional.of(SchemaVersion.parse("10")));
    assertThat(get(api, "/health/ready").status()).isEqualTo(200);
    HttpApi tenths = api(Map.of("REQUIRED_SCHEMA_VERSION", "1.10"));
    next = CheckResult.healthy(Optional.of(SchemaVersion.parse("1.9")));
    assertThat(get(tenths, "/health/ready").status()).isEqualTo(503);
  }

  @Test
  void unknownPathsAndMethodsAreJson() {
    HttpApi api = api();
    Response missing = get(api, "/nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.bodyText()).isEqualTo("{\"detail\":\"Not Found\"}");
    Response post = api.respond(new Request("POST", "/health", Map.of()), "r");
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.bodyText()).isEqualTo("{\"detail\":\"Method Not Allowed\"}");
    assertThat(post.headers()).containsEntry("Allow", "GET, HEAD");
    Response head = api.respond(new Request("HEAD", "/health", Map.of()), "r");
    assertThat(head.status()).isEqualTo(200);
  }

  @Test
  void theDatabaseErrorFamilyMapsToStatusesWithoutInternals() {
    HttpApi api = api();
    Response nf = get(api, "/boom/notfound");
    assertThat(nf.status()).isEqualTo(404);
    assertThat(nf.bodyText()).isEqualTo("{\"error\":\"No such order\",\"type\":\"NotFoundError\"}");
    Response invalid = get(api, "/boom/invalid");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.bodyText())
        .isEqualTo("{\"error\":\"Bad quantity\",\"type\":\"ValidationError\"}");
    assertThat(get(api, "/boom/integrity").status()).isEqualTo(500);
    Response db = get(api, "/boom/db");
    assertThat(db.status()).isEqualTo(500);
    assertThat(db.bodyText()).contains("\"type\":\"DatabaseConnectionError\"");
    Response bug = get(api, "/boom/bug");
    assertThat(bug.status()).isEqualTo(500);
    assertThat(bug.bodyText()).isEqualTo("{\"detail\":\"Internal Server Error\"}");
    assertThat(ErrorResponses.of(new DatabaseError("x")).status()).isEqualTo(500);
  }

  @Test
  void requestIdsAreEchoedWhenSafeAndMadeOtherwise() {
    assertThat(RequestIds.of(new Request("GET", "/", Map.of("x-request-id", List.of("abc-123")))))
        .isEqualTo("abc-123");
    String fresh =
        RequestIds.of(new Request("GET", "/", Map.of("X-Request-ID", List.of("evil\nline"))));
    assertThat(fresh).matches("[0-9a-f-]{36}");
    assertThat(
            RequestIds.of(
                new Request("GET", "/", Map.of("X-Request-ID", List.of("x".repeat(500))))))
        .hasSize(36);
    assertThat(RequestIds.of(Request.get("/"))).hasSize(36);
    java.util.UUID made = java.util.UUID.fromString(RequestIds.of(Request.get("/")));
    assertThat(made.version()).as("a random UUID").isEqualTo(4);
    assertThat(made.variant()).isEqualTo(2);
    assertThat(RequestIds.of(Request.get("/"))).isNotEqualTo(RequestIds.of(Request.get("/")));
    assertThat(api().respond(Request.get("/health"), "given").headers())
        .containsEntry("X-Request-ID", "given");
  }

  @Test
  void corsFollowsTheAllowList() {
    HttpApi api = api();
    Response allowed =
        api.respond(
            new Request("GET", "/health", Map.of("Origin", List.of("http://localhost:3000"))), "r");
    assertThat(allowed.headers())
        .containsEntry("Access-Control-Allow-Origin", "http://localhost:3000")
        .containsEntry("Vary", "Origin");
    Response other =
        api.respond(
            new Request("GET", "/health", Map.of("Origin", List.of("https://evil.example"))), "r");
    assertThat(other.headers()).doesNotContainKey("Access-Control-Allow-Origin");

    Response preflight =
        api.respond(
            new Request(
                "OPTIONS",
                "/health/ready",
                Map.of(
                    "Origin", List.of("http://localhost:8123"),
                    "Access-Control-Request-Method", List.of("GET"),
                    "Access-Control-Request-Headers", List.of("X-Request-ID"))),
            "r");
    assertThat(preflight.status()).isEqualTo(200);
    assertThat(preflight.headers())
        .containsEntry("Access-Control-Allow-Origin", "http://localhost:8123")
        .containsEntry("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        .containsEntry("Access-Control-Allow-Headers", "X-Request-ID")
        .containsEntry("Access-Control-Max-Age", "600");
    Response refused =
        api.respond(
            new Request(
                "OPTIONS",
                "/health",
                Map.of(
                    "Origin",
                    List.of("https://evil.example"),
                    "Access-Control-Request-Method",
                    List.of("GET"))),
            "r");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.bodyText()).isEqualTo("{\"detail\":\"Disallowed CORS origin\"}");
    Response badMethod =
        api.respond(
            new Request(
                "OPTIONS",
                "/health",
                Map.of(
                    "Origin",
                    List.of("http://localhost:3000"),
                    "Access-Control-Request-Method",
                    List.of("DELETE"))),
            "r");
    assertThat(badMethod.status()).isEqualTo(400);
    HttpApi any = api(Map.of("ALLOWED_ORIGINS", "*"));
    assertThat(
            any.respond(
                    new Request("GET", "/", Map.of("Origin", List.of("https://x.example"))), "r")
                .headers())
        .containsEntry("Access-Control-Allow-Origin", "https://x.example");
  }

  @Test
  void openApiDocumentDescribesEveryEndpoint() throws Exception {
    Response r = get(api(), "/openapi.json");
    JsonNode doc = new ObjectMapper().readTree(r.bodyText());
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    assertThat(doc.get("info").get("title").asText()).isEqualTo("orders");
    assertThat(doc.get("info").get("version").asText()).isEqualTo("1.2.3");
    assertThat(doc.get("paths").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder(
            "/", "/health", "/health/db", "/health/ready", "/openapi.json", "/metrics");
  }

  @Test
  void schemaVersionsCompareAsFlywayDoes() {
    assertThat(SchemaVersion.parse("1.10")).isGreaterThan(SchemaVersion.parse("1.9"));
    assertThat(SchemaVersion.parse("1.10")).isLessThan(SchemaVersion.parse("2"));
    assertThat(SchemaVersion.parse("1.0"))
        .isEqualTo(SchemaVersion.parse("1"))
        .hasSameHashCodeAs(SchemaVersion.parse("1"));
    assertThat(SchemaVersion.parse("2_1")).isEqualTo(SchemaVersion.parse("2.1"));
    assertThat(SchemaVersion.parse("2_1")).hasToString("2.1");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SchemaVersion.parse("v2"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
