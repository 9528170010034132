package io.dbbinding.migrate;

import io.dbbinding.migrate.MigrationError.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.api.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is checked before Flyway runs, on one short-lived autocommit connection: how each file must
 * be applied (in a transaction, outside one, or refused because it mixes both), and whether a
 * concurrent index build that failed before left an INVALID index that a retry would trip over.
 */
final class Preflight {
  private static final Logger log = LoggerFactory.getLogger(Preflight.class);

  private static final String INVALID_INDEXES =
      "SELECT n.nspname, c.relname, t.relname FROM pg_index i"
          + " JOIN pg_class c ON c.oid = i.indexrelid"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " JOIN pg_class t ON t.oid = i.indrelid"
          + " JOIN pg_namespace tn ON tn.oid = t.relnamespace"
          + " WHERE NOT i.indisvalid"
          // a build in progress (another run's) is invalid until it ends: not a leftover
          + " AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p"
          + "   WHERE p.index_relid = i.indexrelid)"
          + " AND ((c.relname = ? AND tn.nspname = ?) OR (? AND t.relname = ? AND tn.nspname = ?))"
          + " ORDER BY c.relname";

  private final MigrationOptions options;

  Preflight(MigrationOptions options) {
    this.options = options;
  }

  /** Plans by script name as Flyway records it. */
  Map<String, MigrationPlan> check(Connection c, List<MigrationFile> files, Configuration flyway)
      throws SQLException {
    int server = serverVersion(c);
    Map<String, MigrationPlan> plans = new LinkedHashMap<>();
    for (MigrationFile f : files) {
      plans.put(f.name(), MigrationPlan.of(f, flyway, server));
    }
    History history = history(c);
    for (MigrationPlan p : plans.values()) {
      if (history.applied().contains(p.file().name()) || aboveTarget(p.file())) {
        continue;
      }
      if (p.mode() == MigrationPlan.Mode.MIXED) {
        throw new MigrationError(Reason.MIXED_TRANSACTION, p.mixedMessage());
      }
    }
    for (MigrationPlan p : plans.values()) {
      if (p.mode() != MigrationPlan.Mode.NON_TRANSACTIONAL
          || history.applied().contains(p.file().name())
          || aboveTarget(p.file())) {
        continue;
      }
      List<String> invalid = invalidIndexes(c, p);
      if (!invalid.isEmpty()) {
        throw new MigrationError(Reason.INVALID_INDEX, invalidMessage(p, invalid));
      }
      if (history.failed().contains(p.file().name())) {
        clearFailure(c, p.file().name());
      }
    }
    return plans;
  }

  private boolean aboveTarget(MigrationFile f) {
    if (MigrationOptions.LATEST.equals(options.target())) {
      return false;
    }
    return f.version()
        .map(v -> v.compareTo(SchemaVersion.parse(options.target())) > 0)
        .orElse(false);
  }

  private static String invalidMessage(MigrationPlan p, List<String> invalid) {
    String names = String.join(", ", invalid);
    StringBuilder drop = new StringBuilder();
    for (String i : invalid) {
      drop.append(drop.isEmpty() ? "" : " ")
          .append("DROP INDEX CONCURRENTLY ")
          .append(i)
          .append(";");
    }
    return p.file().fileName()
        + ": index "
        + names
        + (invalid.size() == 1 ? " is" : " are")
        + " INVALID, left by a concurrent build that did not finish; it is not used by queries"
        + " and the build cannot be repeated over it. Drop it ("
        + drop
        + ") and the migration is applied again at the next attempt";
  }

  /** INVALID indexes the file's concurrent builds would create (by name, else on their table). */
  private List<String> invalidIndexes(Connection c, MigrationPlan p) throws SQLException {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (TransactionRules.IndexBuild b : p.builds()) {
      String tableSchema = b.tableSchema().orElse(options.schema());
      try (PreparedStatement q = c.prepareStatement(INVALID_INDEXES)) {
        q.setString(1, b.name().orElse(""));
        q.setString(2, tableSchema);
        q.setBoolean(3, b.name().isEmpty());
        q.setString(4, b.table());
        q.setString(5, tableSchema);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            out.add(
                SchemaHistory.quote(rs.getString(1)) + "." + SchemaHistory.quote(rs.getString(2)));
          }
        }
      }
    }
    return new ArrayList<>(out);
  }

  /**
   * Forgets a failed attempt of a migration applied outside a transaction, whose leftovers are
   * gone, so that Flyway applies it again instead of refusing the schema as holding a failed
   * migration. Transactional migrations never leave such a row: their failures roll back.
   */
  private void clearFailure(Connection c, String script) throws SQLException {
    try (PreparedStatement d =
        c.prepareStatement(
            "DELETE FROM " + qualifiedTable() + " WHERE script = ? AND NOT success")) {
      d.setString(1, script);
      int rows = d.executeUpdate();
      log.atInfo()
          .setMessage("migration.failed_attempt_cleared")
          .addKeyValue("script", script)
          .addKeyValue("rows", rows)
          .log();
    }
  }

  private record History(Set<String> applied, Set<String> failed) {}

  private History history(Connection c) throws SQLException {
    Set<String> applied = new HashSet<>();
    Set<String> failed = new HashSet<>();
    try (PreparedStatement q = c.prepareStatement("SELECT to_regclass(?)")) {
      q.setString(1, qualifiedTable());
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          return new History(applied, failed);
        }
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT script, success, version IS NULL FROM " + qualifiedTable())) {
      while (rs.next()) {
        String script = rs.getString(1);
        if (!rs.getBoolean(2)) {
          failed.add(script);
        } else if (!rs.getBoolean(3)) {
          // a repeatable migration is applied again when it changes: never counted as done
          applied.add(script);
        }
      }
    }
    failed.removeAll(applied);
    return new History(applied, failed);
  }

  private String qualifiedTable() {
    return SchemaHistory.quote(options.schema()) + "." + SchemaHistory.quote(options.table());
  }

  private static int serverVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version_num")) {
      rs.next();
      return Integer.parseInt(rs.getString(1).strip());
    }
  }
}
