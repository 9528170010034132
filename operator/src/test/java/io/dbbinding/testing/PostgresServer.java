package io.dbbinding.testing;

import io.dbbinding.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * One real PostgreSQL server for the whole test JVM, wherever it comes from (see {@link
 * TestDatabases}). Each test asks it for a database of its own, so tests never see each other's
 * tables.
 */
public abstract class PostgresServer {
  /** Where the server came from, for test reports. */
  public abstract String kind();

  /** A superuser URL of the server's maintenance database. */
  public abstract DatabaseUrl adminUrl();

  /** Whether tests may change pg_hba.conf (only a server this JVM started). */
  public abstract boolean ownsConfiguration();

  /** A new, empty database, owned by the admin user. */
  public DatabaseUrl createDatabase() {
    String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    execute("CREATE DATABASE " + name);
    DatabaseUrl admin = adminUrl();
    return new DatabaseUrl(admin.hosts(), name, admin.user(), admin.password(), admin.parameters());
  }

  /** Runs statements as the superuser on the maintenance database. */
  public void execute(String... sql) {
    try (Connection c = connect(adminUrl());
        Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test setup SQL failed: " + e.getMessage(), e);
    }
  }

  /**
   * A login role that must give its password over TCP (scram-sha-256), even on a server whose other
   * users are trusted. Returns a URL with the given password.
   */
  public DatabaseUrl passwordRole(String role, String password, DatabaseUrl database) {
    String r = role.toLowerCase(Locale.ROOT);
    execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
            + r
            + "') THEN CREATE ROLE "
            + r
            + " LOGIN; END IF; END $$",
        "ALTER ROLE " + r + " PASSWORD '" + password.replace("'", "''") + "'",
        "GRANT ALL PRIVILEGES ON DATABASE " + database.database() + " TO " + r);
    requirePassword(r);
    return new DatabaseUrl(
        database.hosts(), database.database(), r, password, database.parameters());
  }

  /** Makes {@code role} authenticate with a password over TCP. */
  protected abstract void requirePassword(String role);

  /**
   * The URL as an application would hold it, password included ({@link DatabaseUrl#toString()}
   * masks it).
   */
  public static String rawUrl(DatabaseUrl url) {
    StringBuilder s = new StringBuilder("postgresql://");
    if (!url.user().isEmpty()) {
      s.append(encode(url.user()));
      if (!url.password().isEmpty()) {
        s.append(':').append(encode(url.password()));
      }
      s.append('@');
    }
    s.append(url.primaryHost().authority()).append('/').append(url.database());
    return s.toString();
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  public static Connection connect(DatabaseUrl url) throws SQLException {
    java.util.Properties p = new java.util.Properties();
    if (!url.user().isEmpty()) {
      p.setProperty("user", url.user());
    }
    if (!url.password().isEmpty()) {
      p.setProperty("password", url.password());
    }
    return DriverManager.getConnection(url.jdbcUrl(), p);
  }
}
