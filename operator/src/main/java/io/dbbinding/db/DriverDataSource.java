package io.dbbinding.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
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
final class DriverDataSource extends PlainDataSource {
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
  public String toString() {
    return url; // no credentials: they are in the properties
  }
}
