package io.dbbinding.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Sets the time-outs on the connection that applies each migration, just before it runs.
 *
 * <p>A migration in a transaction gets {@code SET LOCAL lock_timeout} (and {@code
 * statement_timeout}): they end with its transaction. A migration applied outside a transaction has
 * no transaction to scope them, so they are set for the session and reset after it, success or
 * failure. The lock time-out is left out for migrations made only of CONCURRENTLY statements: their
 * lock waits queue no one (they take SHARE UPDATE EXCLUSIVE, and then wait for older transactions
 * to end), and cancelling a concurrent build half-way would leave an INVALID index behind.
 *
 * <p>It also records the backend pid of that connection, for {@link BlockerWatch}.
 */
final class SessionTimeouts implements Callback {
  private final MigrationTimeouts timeouts;
  private final Map<String, MigrationPlan> plans;
  private final AtomicInteger migrationPid;
  private boolean sessionLevel;

  /**
   * @param plans by script name as Flyway records it
   * @param migrationPid set to the backend pid of the migration connection
   */
  SessionTimeouts(
      MigrationTimeouts timeouts, Map<String, MigrationPlan> plans, AtomicInteger migrationPid) {
    this.timeouts = timeouts;
    this.plans = plans;
    this.migrationPid = migrationPid;
  }

  @Override
  public boolean supports(Event event, Context context) {
    return event == Event.BEFORE_EACH_MIGRATE
        || event == Event.AFTER_EACH_MIGRATE
        || event == Event.AFTER_EACH_MIGRATE_ERROR;
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context context) {
    return true;
  }

  @Override
  public void handle(Event event, Context context) {
    Connection c = context.getConnection();
    try {
      if (event == Event.BEFORE_EACH_MIGRATE) {
        before(c, context.getMigrationInfo().getScript());
      } else if (sessionLevel) {
        try (Statement s = c.createStatement()) {
          s.execute("RESET lock_timeout");
          s.execute("RESET statement_timeout");
        }
        sessionLevel = false;
      }
    } catch (SQLException e) {
      throw new org.flywaydb.core.internal.exception.FlywaySqlException(
          "cannot set the migration time-outs", e);
    }
  }

  private void before(Connection c, String script) throws SQLException {
    if (migrationPid.get() == 0) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        migrationPid.set(rs.getInt(1));
      }
    }
    MigrationPlan plan = plans.get(script);
    boolean outside = plan != null && plan.mode() == MigrationPlan.Mode.NON_TRANSACTIONAL;
    boolean local = !outside;
    if (timeouts.lockTimeout().isPositive() && !(outside && plan.concurrentOnly())) {
      set(c, "lock_timeout", MigrationTimeouts.setting(timeouts.lockTimeout()), local);
      sessionLevel |= outside;
    }
    if (timeouts.statementTimeout().isPositive()) {
      set(c, "statement_timeout", MigrationTimeouts.setting(timeouts.statementTimeout()), local);
      sessionLevel |= outside;
    }
  }

  private static void set(Connection c, String name, String value, boolean local)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT set_config(?, ?, ?)")) {
      s.setString(1, name);
      s.setString(2, value);
      s.setBoolean(3, local);
      s.executeQuery().close();
    }
  }

  @Override
  public String getCallbackName() {
    return "dbbinding-timeouts";
  }
}
