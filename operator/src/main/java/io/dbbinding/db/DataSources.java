package io.dbbinding.db;

import io.dbbinding.config.DatabaseUrl;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Builds pgjdbc data sources from a {@link DatabaseUrl}: credentials go in as properties, never in
 * the URL, and every network wait is bounded.
 */
public final class DataSources {
  private DataSources() {}

  /**
   * Driver properties with time-outs derived from {@code timeout}. pgjdbc counts them in whole
   * seconds, so they are rounded up; the exact bound is enforced by {@link DatabaseProbe}.
   *
   * @param socketTimeout how long one read may block; zero for none (migrations may run long)
   */
  public static Properties driverProperties(
      DatabaseUrl url, Duration timeout, Duration socketTimeout) {
    Properties p = new Properties();
    long connectSeconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    p.setProperty("connectTimeout", Long.toString(connectSeconds));
    p.setProperty("loginTimeout", Long.toString(connectSeconds));
    p.setProperty("socketTimeout", Long.toString((socketTimeout.toMillis() + 999) / 1000));
    p.setProperty("tcpKeepAlive", "true");
    if (!url.jdbcParameters().containsKey("ApplicationName")) {
      p.setProperty("ApplicationName", "dbbinding");
    }
    return p;
  }

  /**
   * An unpooled data source: each {@code getConnection()} opens a new connection, for work that
   * must not hold one between runs (the operator, the CLI, migrations).
   */
  public static DataSource unpooled(DatabaseUrl url, Duration timeout, Duration socketTimeout) {
    Properties p = driverProperties(url, timeout, socketTimeout);
    if (!url.user().isEmpty()) {
      p.setProperty("user", url.user());
    }
    if (!url.password().isEmpty()) {
      p.setProperty("password", url.password());
    }
    return new DriverDataSource(url.jdbcUrl(), p);
  }
}
