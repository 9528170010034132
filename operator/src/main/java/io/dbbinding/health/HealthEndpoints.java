package io.dbbinding.health;

import io.dbbinding.config.Settings;
import io.dbbinding.migrate.SchemaVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The sidecar's routes and their bodies, exactly as the design fixes them. */
public final class HealthEndpoints {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Settings settings;
  private final String provider;
  private final HealthCheck database;
  private final Supplier<String> metrics;
  private final Optional<SchemaVersion> requiredVersion;
  private final String openApi;
  // The bodies of the healthy probes never change: written once, not on every request (a JSON
  // generator's buffers per request, on a new virtual thread each time, were a cost of /health).
  private final Response healthy;
  private final Response databaseHealthy;
  private final Response readyBody;

  /**
   * @param provider reported by {@code /health/db}
   * @param database the (coalesced) database check
   * @param metrics the Prometheus text for {@code /metrics}
   */
  public HealthEndpoints(
      Settings settings, String provider, HealthCheck database, Supplier<String> metrics) {
    this.settings = settings;
    this.provider = provider;
    this.database = database;
    this.metrics = metrics;
    this.requiredVersion = settings.requiredSchemaVersion().map(SchemaVersion::parse);
    this.openApi = loadOpenApi(settings.appName(), settings.version());
    Map<String, String> live = new LinkedHashMap<>();
    live.put("status", "healthy");
    live.put("service", "api");
    this.healthy = Response.json(200, live);
    Map<String, String> db = new LinkedHashMap<>();
    db.put("status", "healthy");
    db.put("service", "database");
    db.put("provider", provider);
    this.databaseHealthy = Response.json(200, db);
    Map<String, String> ready = new LinkedHashMap<>();
    ready.put("status", "ready");
    ready.put("environment", settings.environment());
    ready.put("database", "connected");
    this.readyBody = Response.json(200, ready);
  }

  public Router router() {
    return new Router()
        .get("/", r -> root())
        .probe("/health", r -> live())
        .probe("/health/db", r -> database())
        .probe("/health/ready", r -> ready())
        .get("/openapi.json", r -> Response.text(200, Response.JSON, openApi))
        .get("/metrics", r -> Response.text(200, PROMETHEUS_TEXT, metrics.get()));
  }

  Response root() {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("message", settings.appName());
    body.put("version", settings.version());
    body.put("docs", "/openapi.json");
    return Response.json(200, body);
  }

  /** Liveness: the process answers. Never touches the database. */
  Response live() {
    return healthy;
  }

  Response database() {
    CheckResult result = database.check();
    if (!result.healthy()) {
      return Response.detail(503, "Database unavailable").withReason(result.detail());
    }
    return databaseHealthy;
  }

  Response ready() {
    CheckResult result = database.check();
    if (!result.healthy()) {
      return Response.detail(503, "Database not ready").withReason(result.detail());
    }
    if (requiredVersion.isPresent()) {
      SchemaVersion required = requiredVersion.get();
      Optional<SchemaVersion> current = result.schemaVersion();
      if (current.isEmpty() || !current.get().isAtLeast(required)) {
        String shown = current.map(SchemaVersion::toString).orElse("none");
        return Response.detail(503, "Schema version " + shown + " is behind required " + required);
      }
    }
    return readyBody;
  }

  private static String loadOpenApi(String title, String version) {
    try (InputStream in = HealthEndpoints.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      String doc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return doc.replace("${TITLE}", jsonEscape(title)).replace("${VERSION}", jsonEscape(version));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String jsonEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
