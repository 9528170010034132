package io.dbbinding.migrate;

import io.dbbinding.migrate.MigrationError.Reason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway's migration lock on PostgreSQL, seen from outside Flyway: who holds it, and releasing it
 * from a session whose owner is gone ({@link OrphanPolicy}).
 *
 * <p>The key is Flyway's own, so that only the lock of this history table counts, not another
 * binding's on the same database nor an application's advisory locks: Flyway 12's {@code
 * PostgreSQLAdvisoryLockTemplate} locks {@code 77431708279161 + table.toString().hashCode()}, where
 * the table is {@code "schema"."table"} as PostgreSQL quotes it (read with {@code javap -c -p} from
 * flyway-database-postgresql 12.11.0; {@code MigrationLockTest} checks it against a running Flyway,
 * so an upgrade that changes it fails there). A session-level lock on a bigint key shows in {@code
 * pg_locks} as classid (high half), objid (low half) and objsubid 1.
 */
final class MigrationLock {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  private static final long FLYWAY_LOCK_BASE = 77431708279161L;

  /** How long pg_terminate_backend waits for the session to exit. */
  private static final long TERMINATE_WAIT_MS = 5_000;

  private static final String HOLDER =
      "SELECT a.pid, a.application_name, a.state, a.backend_start, a.usename"
          + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
          + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1"
          + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
          + " AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.pid <> pg_backend_pid()"
          + " ORDER BY a.backend_start LIMIT 1";

  private MigrationLock() {}

  /** The advisory lock key Flyway takes for the history table. */
  static long key(String schema, String table) {
    String flywayTable = SchemaHistory.quote(schema) + "." + SchemaHistory.quote(table);
    return FLYWAY_LOCK_BASE + flywayTable.hashCode();
  }

  /** The session holding the lock of {@code key}, if another one does. */
  static Optional<LockHolder> holder(Connection c, long key) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(HOLDER)) {
      q.setLong(1, key >>> 32);
      q.setLong(2, key & 0xFFFF_FFFFL);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        Timestamp start = rs.getTimestamp(4);
        return Optional.of(
            new LockHolder(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                start == null ? null : start.toInstant(),
                rs.getString(5)));
      }
    }
  }

  /**
   * Looks at who holds the lock and, when the policy says so, terminates that session; returns when
   * the run may go on to Flyway (which takes the lock, or waits for it as for any session).
   *
   * @throws MigrationError MIGRATION_LOCK_HELD while the holder is waited for, or when this role
   *     may not terminate it (the message says which GRANT is missing)
   */
  static void releaseOrphan(Connection c, MigrationOptions options, LockRelease release)
      throws SQLException {
    Optional<LockHolder> found = holder(c, key(options.schema(), options.table()));
    if (found.isEmpty()) {
      return;
    }
    LockHolder holder = found.get();
    Optional<RunName> owner = RunName.owner(holder.applicationName());
    OwnerLiveness.Answer answer =
        owner.map(o -> release.liveness().of(o.namespace(), o.pod())).orElse(null);
    Optional<java.time.Instant> goneSince = Optional.empty();
    if (answer != null && answer.state() == OwnerLiveness.State.GONE) {
      goneSince = Optional.of(release.gone().goneSince(holder));
    } else {
      release.gone().forget(holder);
    }
    OrphanPolicy.Decision d =
        OrphanPolicy.decide(
            holder, owner, answer, goneSince, release.grace(), release.gone().now());
    switch (d.action()) {
      case PROCEED -> {
        // Not a run we can tell: Flyway waits for it, as for any session.
      }
      case WAIT, WAIT_FOR_GRACE ->
          throw new MigrationError(Reason.MIGRATION_LOCK_HELD, d.message());
      case RELEASE -> {
        terminate(c, holder);
        release.gone().forget(holder);
        log.atWarn()
            .setMessage("migration.orphaned_lock_released")
            .addKeyValue("pid", holder.pid())
            .addKeyValue("application_name", holder.applicationName())
            .log();
        release.released().accept(d.message());
      }
    }
  }

  private static void terminate(Connection c, LockHolder holder) throws SQLException {
    try (PreparedStatement t = c.prepareStatement("SELECT pg_terminate_backend(?, ?)")) {
      t.setInt(1, holder.pid());
      t.setLong(2, TERMINATE_WAIT_MS);
      t.executeQuery().close();
    } catch (SQLException e) {
      if (!"42501".equals(e.getSQLState())) {
        throw e;
      }
      String role = currentUser(c);
      throw new MigrationError(
          Reason.MIGRATION_LOCK_HELD,
          "The migration lock is held by "
              + holder.describe()
              + ", whose owner is gone, but the role "
              + role
              + " may not terminate it: run GRANT pg_signal_backend TO "
              + SchemaHistory.quote(role)
              + " (or GRANT "
              + (holder.user().isEmpty() ? "<its role>" : SchemaHistory.quote(holder.user()))
              + " TO "
              + SchemaHistory.quote(role)
              + "), or end it by hand as a superuser: SELECT pg_terminate_backend("
              + holder.pid()
              + ")",
          e);
    }
  }

  private static String currentUser(Connection c) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT current_user");
        ResultSet rs = q.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }
}
