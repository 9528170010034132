package io.dbbinding.db;

import io.dbbinding.config.DatabaseUrl;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
    return driverProperties(url, timeout, socketTimeout, "dbbinding");
  }

  /**
   * As {@link #driverProperties(DatabaseUrl, Duration, Duration)}, naming the sessions {@code
   * applicationName} unless the URL names them.
   */
  public static Properties driverProperties(
      DatabaseUrl url, Duration timeout, Duration socketTimeout, String applicationName) {
    Properties p = new Properties();
    long connectSeconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    p.setProperty("connectTimeout", Long.toString(connectSeconds));
    p.setProperty("loginTimeout", Long.toString(connectSeconds));
    p.setProperty("socketTimeout", Long.toString((socketTimeout.toMillis() + 999) / 1000));
    p.setProperty("tcpKeepAlive", "true");
    // Without it pgjdbc sets application_name and extra_float_digits with a query of its own after
    // logging in: a round trip more per connection, and values that DISCARD ALL (how a connection
    // kept for reuse is reset) would reset to the server's defaults. Any server Flyway supports is
    // newer.
    if (!url.jdbcParameters().containsKey("assumeMinServerVersion")) {
      p.setProperty("assumeMinServerVersion", "9.4");
    }
    if (!url.jdbcParameters().containsKey("ApplicationName")) {
      p.setProperty("ApplicationName", applicationName);
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

  /**
   * As {@link #unpooled(DatabaseUrl, Duration, Duration)}, every session named {@code
   * applicationName} (pgjdbc's {@code ApplicationName}), even when the URL names its sessions: a
   * migration run's name says who owns it, so that a session left behind by a dead run can be
   * recognised and released.
   */
  public static DataSource unpooled(
      DatabaseUrl url, Duration timeout, Duration socketTimeout, String applicationName) {
    Map<String, String> parameters = new LinkedHashMap<>(url.parameters());
    parameters.remove("application_name");
    parameters.remove("ApplicationName");
    DatabaseUrl named =
        new DatabaseUrl(url.hosts(), url.database(), url.user(), url.password(), parameters);
    Properties p = driverProperties(named, timeout, socketTimeout, applicationName);
    if (!url.user().isEmpty()) {
      p.setProperty("user", url.user());
    }
    if (!url.password().isEmpty()) {
      p.setProperty("password", url.password());
    }
    return new DriverDataSource(named.jdbcUrl(), p);
  }
}
