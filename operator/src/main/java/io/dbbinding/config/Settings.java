package io.dbbinding.config;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * The settings of every role, read from the environment and then {@code .env} (see the table in the
 * README). A bad value stops the process with one line that names the variable.
 */
public record Settings(
    Optional<DatabaseUrl> databaseUrl,
    String appName,
    String version,
    String environment,
    LogLevel logLevel,
    LogFormat logFormat,
    int port,
    List<String> allowedOrigins,
    int poolSize,
    Duration connectTimeout,
    Duration healthCacheTtl,
    Optional<String> requiredSchemaVersion) {

  public static final String DEFAULT_ALLOWED_ORIGINS =
      "http://localhost:3000,http://localhost:8123";
  public static final int DEFAULT_PORT = 8123;

  public Settings {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public static Settings load(SettingSource source) {
    return load(source, LogFormat.JSON);
  }

  /**
   * @param defaultLogFormat the format when {@code LOG_FORMAT} is not set: JSON for the roles that
   *     run in pods, where a collector reads the lines; text for the commands a person watches in a
   *     terminal ({@code dev})
   */
  public static Settings load(SettingSource source, LogFormat defaultLogFormat) {
    return new Settings(
        source.get("DATABASE_URL").map(v -> DatabaseUrl.parse("DATABASE_URL", v)),
        source.get("APP_NAME").orElse("dbbinding"),
        source.get("VERSION").orElseGet(Settings::jarVersion),
        source.get("ENVIRONMENT").orElse("development"),
        read(source, "LOG_LEVEL", v -> LogLevel.parse("LOG_LEVEL", v), LogLevel.INFO),
        read(source, "LOG_FORMAT", v -> LogFormat.parse("LOG_FORMAT", v), defaultLogFormat),
        integer(source, "PORT", DEFAULT_PORT, 1, 65535),
        origins(source.get("ALLOWED_ORIGINS").orElse(DEFAULT_ALLOWED_ORIGINS)),
        integer(source, "DB_POOL_SIZE", 1, 1, 100),
        Duration.ofMillis(integer(source, "DB_CONNECT_TIMEOUT_MS", 1000, 250, 600_000)),
        Duration.ofMillis(integer(source, "HEALTH_CACHE_TTL_MS", 1000, 0, 3_600_000)),
        source.get("REQUIRED_SCHEMA_VERSION").map(Settings::schemaVersion));
  }

  /** These settings with another database. */
  public Settings withDatabaseUrl(DatabaseUrl url) {
    return new Settings(
        Optional.of(url),
        appName,
        version,
        environment,
        logLevel,
        logFormat,
        port,
        allowedOrigins,
        poolSize,
        connectTimeout,
        healthCacheTtl,
        requiredSchemaVersion);
  }

  /** The database URL, for the roles that cannot run without one. */
  public DatabaseUrl requireDatabaseUrl() {
    return databaseUrl.orElseThrow(
        () ->
            new ConfigurationException(
                "DATABASE_URL is not set; set it in the environment or in .env, for example"
                    + " postgresql://app:password@localhost:5433/app"));
  }

  /** The version of this build, from the jar. */
  public static String jarVersion() {
    try (InputStream in = Settings.class.getResourceAsStream("/dbbinding-version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      String v = p.getProperty("version", "");
      return v.isEmpty() || v.startsWith("$") ? "dev" : v;
    } catch (IOException e) {
      return "dev";
    }
  }

  private static <T> T read(
      SettingSource source, String name, Function<String, T> parse, T fallback) {
    return source.get(name).map(parse).orElse(fallback);
  }

  static int integer(SettingSource source, String name, int fallback, int min, int max) {
    Optional<String> raw = source.get(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    String v = raw.get().strip();
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, with the accepted range
    }
    throw new ConfigurationException(
        name + " must be a whole number from " + min + " to " + max + ", got " + shown(raw.get()));
  }

  private static List<String> origins(String value) {
    return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String schemaVersion(String value) {
    String v = value.strip();
    if (!v.matches("[0-9]+([._][0-9]+)*")) {
      throw new ConfigurationException(
          "REQUIRED_SCHEMA_VERSION must be a Flyway version such as 5 or 1.2.3, got " + shown(v));
    }
    return v.replace('_', '.');
  }

  /** A value quoted for an error message: one line, and short. */
  static String shown(String value) {
    String oneLine = value.replaceAll("\\p{Cntrl}", "?");
    return "'" + (oneLine.length() > 40 ? oneLine.substring(0, 40) + "..." : oneLine) + "'";
  }
}
