package io.dbbinding.binding;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.db.DatabaseError;
import io.dbbinding.db.DatabaseProbe;
import io.dbbinding.db.QueryTimeoutError;
import io.dbbinding.db.ReusableConnections;
import io.dbbinding.db.ServerPermits;
import io.dbbinding.db.SharedConnection;
import io.dbbinding.db.SqlErrors;
import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.LockRelease;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import io.dbbinding.migrate.SchemaCatalog;
import io.dbbinding.migrate.SchemaHistory;
import io.dbbinding.migrate.SchemaSnapshot;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The operator's {@link BindingDatabase}. A session is one connection, checked within the connect
 * time-out and handed back at the end of the reconcile: the check, Flyway's info and migrate and
 * the history read after them all run on it, so a reconcile costs the database server one backend
 * (two once a migration has run for half its lock time-out: the blocker watch has its own). At most
 * {@code permits.perServer()} sessions are open per database server at once; the rest wait their
 * turn.
 *
 * <p>The connection comes from {@link ReusableConnections} when the URL allows it: a session that
 * ended well leaves it reset ({@code DISCARD ALL} after Flyway, the session's name put back after a
 * check) for the next one, which saves the server a new backend per check. A kept connection whose
 * check fails (its server restarted) is dropped and the session opens a new one.
 */
public final class PostgresBindingDatabase implements BindingDatabase, AutoCloseable {
  private final Duration connectTimeout;
  private final ServerPermits permits;
  private final LockOwners owners;
  private final ReusableConnections connections;

  /** Without reuse: a new connection per session. */
  public PostgresBindingDatabase(Duration connectTimeout, ServerPermits permits) {
    this(connectTimeout, permits, null, null);
  }

  /**
   * @param owners names each binding's sessions after this replica and the binding, and releases
   *     migration locks left by dead migrators; null for neither
   * @param connections where sessions borrow their connection and leave it; null for a new
   *     connection per session. Its permits must be {@code permits}.
   */
  public PostgresBindingDatabase(
      Duration connectTimeout,
      ServerPermits permits,
      LockOwners owners,
      ReusableConnections connections) {
    this.connectTimeout = connectTimeout;
    this.permits = permits;
    this.owners = owners;
    this.connections = connections;
  }

  @Override
  public Session open(DatabaseUrl url, MigrationsSpec migrations) {
    return connect(url, migrations, null, permits.acquire(url));
  }

  @Override
  public Optional<Session> openIfFree(DatabaseUrl url, MigrationsSpec migrations) {
    return permits.tryAcquire(url).map(permit -> connect(url, migrations, null, permit));
  }

  @Override
  public Session open(DatabaseUrl url, MigrationsSpec migrations, DatabaseBinding binding) {
    return connect(url, migrations, binding, permits.acquire(url));
  }

  @Override
  public Optional<Session> openIfFree(
      DatabaseUrl url, MigrationsSpec migrations, DatabaseBinding binding) {
    return permits.tryAcquire(url).map(permit -> connect(url, migrations, binding, permit));
  }

  /** Closes the connections kept for reuse. */
  @Override
  public void close() {
    if (connections != null) {
      connections.close();
    }
  }

  private Session connect(
      DatabaseUrl url,
      MigrationsSpec migrations,
      DatabaseBinding binding,
      ServerPermits.Permit permit) {
    // Every session of the run (the check, preflight, Flyway, the blocker watch) says whose it is.
    String name = owners != null && binding != null ? owners.applicationName(binding) : null;
    DataSource fresh = unpooled(url, name);
    LockRelease release =
        name != null && migrations != null ? owners.release(binding, migrations) : null;
    Optional<SchemaHistory> history =
        Optional.ofNullable(migrations).map(m -> new SchemaHistory(m.getSchema(), m.getTable()));
    try {
      Checked checked =
          connections != null && ReusableConnections.reusable(url)
              ? borrowChecked(url, name, history)
              : check(fresh::getConnection, null, history);
      return new OneConnection(checked, fresh, migrations, history, name, permit, release);
    } catch (RuntimeException e) {
      permit.close();
      throw e;
    }
  }

  /** New connections to {@code url}, named {@code name} (null: the URL's or the default name). */
  private DataSource unpooled(DatabaseUrl url, String name) {
    return name != null
        ? DataSources.unpooled(url, connectTimeout, Duration.ZERO, name)
        : DataSources.unpooled(url, connectTimeout, Duration.ZERO);
  }

  /**
   * A connection from {@link #connections}, checked; when a kept one fails its check (its server
   * restarted, or dropped it), a new one. A check that timed out is not tried again: the server is
   * slow, not gone, and another wait would double the reconcile's.
   */
  private Checked borrowChecked(DatabaseUrl url, String name, Optional<SchemaHistory> history) {
    // Opened under the replica's name, renamed for each run and named back when handed back.
    DataSource opener = unpooled(url, name != null ? owners.idleApplicationName() : null);
    AtomicReference<ReusableConnections.Lent> borrowed = new AtomicReference<>();
    DatabaseProbe.ConnectionSource source =
        () -> {
          ReusableConnections.Lent l = connections.borrow(url, opener::getConnection);
          borrowed.set(l);
          return l.connection();
        };
    try {
      return check(source, name, history).lentBy(borrowed.get());
    } catch (QueryTimeoutError e) {
      throw e;
    } catch (DatabaseError e) {
      ReusableConnections.Lent stale = borrowed.getAndSet(null);
      if (stale == null || !stale.reused()) {
        throw e;
      }
      connections.discard(stale);
      return check(source, name, history).lentBy(borrowed.get());
    }
  }

  /** Opens a connection from {@code source} and checks it within the connect time-out. */
  private Checked check(
      DatabaseProbe.ConnectionSource source, String rename, Optional<SchemaHistory> history) {
    try (DatabaseProbe probe = new DatabaseProbe(source, connectTimeout, 1)) {
      DatabaseProbe.Opened<String> opened =
          probe.open(
              c -> {
                if (rename != null) {
                  c.setClientInfo("ApplicationName", rename);
                }
                try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                  rs.next();
                }
                return history.isPresent() ? history.get().fingerprint(c).orElse("") : "";
              });
      return new Checked(opened.connection(), opened.value(), null);
    }
  }

  /** A connection checked, what its history said, and where it goes back to (null: closed). */
  private record Checked(
      Connection connection, String historyAtOpen, ReusableConnections.Lent reusable) {
    Checked lentBy(ReusableConnections.Lent l) {
      return new Checked(connection, historyAtOpen, l);
    }
  }

  /** A session on one connection, holding its server permit until closed. */
  private final class OneConnection implements Session {
    private final Checked checked;
    private final Connection connection;
    private final Migrator migrator;
    private final Optional<SchemaHistory> history;
    private final String name;
    private final ServerPermits.Permit permit;

    /** Flyway ran on the connection: its session state must be reset before reuse. */
    private boolean migrated;

    /** Something failed on the connection: it is closed, never reused. */
    private boolean failed;

    OneConnection(
        Checked checked,
        DataSource fresh,
        MigrationsSpec spec,
        Optional<SchemaHistory> history,
        String name,
        ServerPermits.Permit permit,
        LockRelease release) {
      this.checked = checked;
      this.connection = checked.connection();
      this.history = history;
      this.name = name;
      this.permit = permit;
      this.migrator =
          spec == null
              ? null
              : new Migrator(
                  new SharedConnection(connection),
                  fresh,
                  new MigrationOptions(
                      spec.getSchema(),
                      spec.getTable(),
                      spec.getTarget(),
                      spec.isBaselineOnMigrate()),
                  spec.timeouts(),
                  release);
    }

    @Override
    public String historyAtOpen() {
      return checked.historyAtOpen();
    }

    @Override
    public InfoReport info(MigrationSource source) {
      return flyway(() -> migrator.info(source));
    }

    @Override
    public MigrationResult migrate(MigrationSource source) {
      return flyway(() -> migrator.migrate(source));
    }

    @Override
    public MigrationResult migrateAll(MigrationSource source) {
      return flyway(() -> migrator.withTarget(MigrationOptions.LATEST).migrate(source));
    }

    private <T> T flyway(Supplier<T> work) {
      migrated = true;
      try {
        return work.get();
      } catch (RuntimeException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public Optional<String> historyNow() {
      if (history.isEmpty()) {
        return Optional.of("");
      }
      try {
        return Optional.of(history.get().fingerprint(connection).orElse(""));
      } catch (SQLException e) {
        failed = true;
        return Optional.empty();
      }
    }

    @Override
    public SchemaSnapshot schema(String schema, String historyTable) {
      try {
        return new SchemaCatalog(schema, historyTable).read(connection);
      } catch (SQLException e) {
        failed = true;
        throw SqlErrors.translate(e);
      }
    }

    @Override
    public void close() {
      try {
        ReusableConnections.Lent reusable = checked.reusable();
        if (reusable == null) {
          closeQuietly();
        } else if (!failed && reset()) {
          connections.giveBack(reusable);
        } else {
          connections.discard(reusable);
        }
      } finally {
        permit.close();
      }
    }

    /**
     * Puts the session back as it was opened, for the next run: after Flyway (which may have left a
     * transaction, settings, a role, prepared statements or temporary tables of the migrations'
     * SQL) everything, else only the name. False when the connection would not.
     */
    private boolean reset() {
      try (Statement s = connection.createStatement()) {
        if (migrated) {
          if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
          }
          s.execute("DISCARD ALL");
        } else if (name != null) {
          s.execute("RESET application_name");
        }
        return true;
      } catch (SQLException e) {
        return false;
      }
    }

    private void closeQuietly() {
      try {
        connection.close();
      } catch (SQLException e) {
        // Closing a connection the server already dropped: nothing is left to free.
      }
    }
  }
}
