package io.dbbinding.migrate;

import io.dbbinding.db.DatabaseError;
import io.dbbinding.db.SqlErrors;
import io.dbbinding.migrate.MigrationError.Reason;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Flyway's and the driver's exceptions as {@link MigrationError}s that name the file, the server's
 * message and the line, and say what happened to the change.
 */
final class FlywayErrors {
  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private FlywayErrors() {}

  /** A failure to reach or use the database: the db family's error, as the cause. */
  static MigrationError database(SQLException e) {
    DatabaseError db = SqlErrors.translate(e);
    return new MigrationError(Reason.MIGRATION_FAILED, db.getMessage(), db);
  }

  /** Flyway's other failures: connection problems become the db family's errors. */
  static MigrationError translate(FlywayException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return database(sql);
      }
    }
    return new MigrationError(Reason.INVALID_CONFIGURATION, MessageText.oneLine(e.getMessage()), e);
  }

  /** Whether the migration was cancelled by its lock time-out ({@code lock_timeout}). */
  static boolean isLockTimeout(FlywayMigrateException e) {
    return serverError(e).map(s -> LOCK_NOT_AVAILABLE.equals(s.getSQLState())).orElse(false);
  }

  /** A migration that failed: the server's message, its position and line; rolled back. */
  static MigrationError migrationFailed(FlywayMigrateException e) {
    StringBuilder msg = new StringBuilder(script(e)).append(" failed");
    Optional<ServerErrorMessage> server = serverError(e);
    if (server.isPresent()) {
      ServerErrorMessage s = server.get();
      msg.append(": ").append(MessageText.oneLine(s.getMessage()));
      msg.append(" (SQLSTATE ").append(s.getSQLState());
      if (s.getPosition() > 0) {
        msg.append(", position ").append(s.getPosition());
      }
      msg.append(")");
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FlywaySqlScriptException sqlScript && sqlScript.getLineNumber() > 0) {
        msg.append(" in the statement at line ").append(sqlScript.getLineNumber());
        break;
      }
    }
    msg.append("; it was rolled back");
    return new MigrationError(Reason.MIGRATION_FAILED, msg.toString(), e);
  }

  /**
   * A migration that hit its lock time-out on every try, naming the sessions it waited for.
   *
   * @param blockers as {@link BlockerWatch} saw them last; empty when it saw none
   */
  static MigrationError lockTimeout(
      FlywayMigrateException e, List<Blocker> blockers, int tries, MigrationTimeouts timeouts) {
    StringBuilder msg =
        new StringBuilder(script(e))
            .append(" could not get a lock within the lock timeout (")
            .append(MigrationTimeouts.shown(timeouts.lockTimeout()))
            .append(") in ")
            .append(tries)
            .append(" tries and was rolled back each time; ");
    if (blockers.isEmpty()) {
      msg.append("the session holding the lock was not seen");
    } else {
      msg.append("blocked by ");
      for (int i = 0; i < blockers.size(); i++) {
        msg.append(i == 0 ? "" : ", ").append(blockers.get(i).describe(timeouts.reportBlockers()));
      }
    }
    msg.append("; end that transaction, or apply the migration when the table is quieter");
    return new MigrationError(Reason.LOCK_TIMEOUT, msg.toString(), e);
  }

  private static String script(FlywayMigrateException e) {
    MigrationInfo m = e.getMigration();
    return m == null ? "a migration" : MessageText.fileName(m.getScript());
  }

  private static Optional<ServerErrorMessage> serverError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException p && p.getServerErrorMessage() != null) {
        return Optional.of(p.getServerErrorMessage());
      }
    }
    return Optional.empty();
  }
}
