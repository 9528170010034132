package io.dbbinding.health;

import io.dbbinding.db.DatabaseError;
import io.dbbinding.db.DatabaseProbe;
import io.dbbinding.migrate.SchemaHistory;
import io.dbbinding.migrate.SchemaVersion;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the database a trivial question ({@code SELECT 1}) through the probe's deadline and, when a
 * schema history is given, reads the schema version on the same connection. Its failures and
 * recoveries are logged at DEBUG: the probe that sees the change logs it once, with this reason
 * (see {@link HttpApi}).
 */
public final class DatabaseCheck implements HealthCheck {
  private static final Logger log = LoggerFactory.getLogger(DatabaseCheck.class);

  private final DatabaseProbe probe;
  private final Optional<SchemaHistory> history;
  private final AtomicBoolean lastHealthy = new AtomicBoolean(true);
  private final Counter healthy;
  private final Counter unhealthy;
  private final Timer latency;

  /**
   * @param history where to read the schema version; empty when no version is required
   * @param metrics where to count the checks (each one is a query the database receives)
   */
  public DatabaseCheck(
      DatabaseProbe probe, Optional<SchemaHistory> history, MeterRegistry metrics) {
    this.probe = probe;
    this.history = history;
    this.healthy = checks(metrics, "healthy");
    this.unhealthy = checks(metrics, "unhealthy");
    this.latency =
        Timer.builder("dbbinding.database.check.duration")
            .description("Time the database took to answer a health check")
            .register(metrics);
  }

  private static Counter checks(MeterRegistry metrics, String result) {
    return Counter.builder("dbbinding.database.checks")
        .description("Database health checks run (queries sent), by result")
        .tag("result", result)
        .register(metrics);
  }

  @Override
  public CheckResult check() {
    long start = System.nanoTime();
    try {
      Optional<SchemaVersion> version =
          probe.run(
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                  rs.next();
                }
                return history.isPresent() ? history.get().currentVersion(c) : Optional.empty();
              });
      healthy.increment();
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      if (!lastHealthy.getAndSet(true)) {
        log.atDebug()
            .setMessage("database.health_check_recovered")
            .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
            .log();
      }
      return CheckResult.healthy(version);
    } catch (DatabaseError e) {
      unhealthy.increment();
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      lastHealthy.set(false);
      log.atDebug()
          .setMessage("database.health_check_failed")
          .addKeyValue("reason", e.getMessage())
          .addKeyValue("type", e.getClass().getSimpleName())
          .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
          .log();
      return CheckResult.unhealthy(e.getMessage());
    }
  }
}
