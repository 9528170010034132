package io.dbbinding.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Reads the schema version from Flyway's history table with one query and without Flyway itself, so
 * that the sidecar, which has no migration files, can tell whether the schema is recent enough.
 */
public final class SchemaHistory {
  public static final String DEFAULT_SCHEMA = "public";
  public static final String DEFAULT_TABLE = "flyway_schema_history";

  private final String schema;
  private final String table;

  public SchemaHistory(String schema, String table) {
    this.schema = schema;
    this.table = table;
  }

  public static SchemaHistory defaults() {
    return new SchemaHistory(DEFAULT_SCHEMA, DEFAULT_TABLE);
  }

  /**
   * The highest version successfully applied, or empty when nothing is (or the table does not exist
   * yet).
   */
  public Optional<SchemaVersion> currentVersion(Connection connection) throws SQLException {
    String qualified = quote(schema) + "." + quote(table);
    if (!exists(connection, qualified)) {
      return Optional.empty();
    }
    Optional<SchemaVersion> highest = Optional.empty();
    try (PreparedStatement q =
            connection.prepareStatement(
                "SELECT version FROM " + qualified + " WHERE success AND version IS NOT NULL");
        ResultSet rs = q.executeQuery()) {
      while (rs.next()) {
        SchemaVersion v;
        try {
          v = SchemaVersion.parse(rs.getString(1));
        } catch (IllegalArgumentException notAVersion) {
          continue; // a row Flyway itself wrote with another meaning; not a schema version
        }
        if (highest.isEmpty() || v.compareTo(highest.get()) > 0) {
          highest = Optional.of(v);
        }
      }
    }
    return highest;
  }

  /**
   * A fingerprint of the history table: it changes whenever a migration is applied, removed,
   * repaired or fails. Empty when the table does not exist. One cheap query, so that a periodic
   * check can tell "nothing changed" without running Flyway.
   */
  public Optional<String> fingerprint(Connection connection) throws SQLException {
    String qualified = quote(schema) + "." + quote(table);
    if (!exists(connection, qualified)) {
      return Optional.empty();
    }
    try (PreparedStatement q =
            connection.prepareStatement(
                "SELECT count(*), coalesce(max(installed_rank), 0),"
                    + " coalesce(sum(coalesce(checksum, 0)::bigint), 0),"
                    + " coalesce(bool_and(success), true),"
                    + " coalesce(max(installed_on)::text, '')"
                    + " FROM "
                    + qualified);
        ResultSet rs = q.executeQuery()) {
      rs.next();
      return Optional.of(
          rs.getLong(1)
              + ":"
              + rs.getLong(2)
              + ":"
              + rs.getLong(3)
              + ":"
              + rs.getBoolean(4)
              + ":"
              + rs.getString(5));
    }
  }

  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static boolean exists(Connection connection, String qualified) throws SQLException {
    try (PreparedStatement q = connection.prepareStatement("SELECT to_regclass(?)")) {
      q.setString(1, qualified);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() && rs.getString(1) != null;
      }
    }
  }
}
