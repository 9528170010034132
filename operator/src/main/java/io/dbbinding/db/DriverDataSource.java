package io.dbbinding.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.Driver;

/**
 * A new pgjdbc connection per {@code getConnection()}, from a short JDBC URL and the properties
 * (credentials and time-outs) beside it.
 *
 * <p>Not pgjdbc's {@code PGSimpleDataSource}: that one hands the driver a URL listing every one of
 * its 60-odd properties (about 1,300 characters), which the connection then reports as its URL, and
 * Flyway runs its credential-redacting regular expressions over that URL at every operation: 60 to
 * 110 ms of CPU each, most of an operator's time with many bindings (bench/RESULTS.md).
 */
final class DriverDataSource implements DataSource {
  private static final Driver DRIVER = new Driver();

  private final String url;
  private final Properties properties;

  /**
   * @param properties the driver's properties, credentials included; copied
   */
  DriverDataSource(String url, Properties properties) {
    this.url = url;
    this.properties = new Properties();
    this.properties.putAll(properties);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection c = DRIVER.connect(url, properties);
    if (c == null) {
      throw new SQLException("pgjdbc does not accept this URL", "08001");
    }
    return c;
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the credentials are set already");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // No log writer: pgjdbc logs through java.util.logging.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    properties.setProperty("loginTimeout", Integer.toString(seconds));
  }

  @Override
  public int getLoginTimeout() {
    return Integer.parseInt(properties.getProperty("loginTimeout", "0"));
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("pgjdbc logs through java.util.logging");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper of " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    return url; // no credentials: they are in the properties
  }
}
