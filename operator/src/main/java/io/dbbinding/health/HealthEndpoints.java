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
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Settings settings;
  private final String provider;
  private final HealthCheck database;
  private final Supplier<String> metrics;
  private final Optional<SchemaVersion> requiredVersion;
  private final String openApi;

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
    Map<String, String> body = new LinkedHashMap<>();
    body.put("status", "healthy");
    body.put("service", "api");
    return Response.json(200, body);
  }

  Response database() {
    CheckResult result = database.check();
    if (!result.healthy()) {
      return Response.detail(503, "Database unavailable").withReason(result.detail());
    }
    Map<String, String> body = new LinkedHashMap<>();
    body.put("status", "healthy");
    body.put("service", "database");
    body.put("provider", provider);
    return Response.json(200, body);
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
    Map<String, String> body = new LinkedHashMap<>();
    body.put("status", "ready");
    body.put("environment", settings.environment());
    body.put("database", "connected");
    return Response.json(200, body);
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
