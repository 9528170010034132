package io.dbbinding.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.dbbinding.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar's HikariCP pool: at most {@link PoolSettings#size()} connections, each validated
 * before use, never waiting longer than the connect time-out. It starts even when the database is
 * down, so that the probes can say so.
 */
public final class ConnectionPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);
  private static final long HIKARI_MIN_TIMEOUT_MS = 250;

  private final HikariDataSource dataSource;
  private final DatabaseUrl url;

  private ConnectionPool(HikariDataSource dataSource, DatabaseUrl url) {
    this.dataSource = dataSource;
    this.url = url;
  }

  /**
   * Opens the pool.
   *
   * @param metricRegistry a Micrometer {@code MeterRegistry} for the pool's metrics, or null
   */
  public static ConnectionPool open(DatabaseUrl url, PoolSettings settings, Object metricRegistry) {
    long timeoutMs = Math.max(HIKARI_MIN_TIMEOUT_MS, settings.connectTimeout().toMillis());
    HikariConfig config = new HikariConfig();
    config.setPoolName("dbbinding");
    config.setJdbcUrl(url.jdbcUrl());
    config.setUsername(url.user().isEmpty() ? null : url.user());
    config.setPassword(url.password().isEmpty() ? null : url.password());
    config.setMaximumPoolSize(settings.size());
    config.setMinimumIdle(settings.size());
    config.setConnectionTimeout(timeoutMs);
    config.setValidationTimeout(Math.max(HIKARI_MIN_TIMEOUT_MS, timeoutMs * 3 / 4));
    // Start with the database down: the probes report it, and the pool connects once it is up.
    config.setInitializationFailTimeout(-1);
    // A socket that stops answering is given up after a few connect time-outs, so that a stuck
    // check frees its thread and its connection.
    Properties props =
        DataSources.driverProperties(
            url,
            settings.connectTimeout(),
            Duration.ofMillis(timeoutMs * 5),
            // Not a migration run (no "dbbinding:" prefix): never taken for an orphaned migrator.
            "dbbinding-sidecar");
    config.setDataSourceProperties(props);
    if (metricRegistry != null) {
      config.setMetricRegistry(metricRegistry);
    }
    HikariDataSource ds = new HikariDataSource(config);
    log.atInfo()
        .setMessage("database.pool.opened")
        .addKeyValue("url", url.masked())
        .addKeyValue("max_connections", settings.size())
        .log();
    return new ConnectionPool(ds, url);
  }

  public Connection connection() throws SQLException {
    return dataSource.getConnection();
  }

  public DatabaseUrl url() {
    return url;
  }

  /** Connections open now, idle or in use. */
  public int openConnections() {
    HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
    return pool == null ? 0 : pool.getTotalConnections();
  }

  @Override
  public void close() {
    if (!dataSource.isClosed()) {
      dataSource.close();
      log.atInfo().setMessage("database.connection.closed").addKeyValue("pool", "dbbinding").log();
    }
  }
}
