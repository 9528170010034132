package io.dbbinding.binding;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.db.DatabaseProbe;
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
import javax.sql.DataSource;

/**
 * The operator's {@link BindingDatabase}. A session is one connection, opened within the connect
 * time-out and closed at the end of the reconcile: the check, Flyway's info and migrate and the
 * history read after them all run on it, so a reconcile costs the database server one backend (two
 * once a migration has run for half its lock time-out: the blocker watch has its own). At most
 * {@code permits.perServer()} sessions are open per database server at once; the rest wait their
 * turn.
 */
public final class PostgresBindingDatabase implements BindingDatabase {
  private final Duration connectTimeout;
  private final ServerPermits permits;
  private final LockOwners owners;

  public PostgresBindingDatabase(Duration connectTimeout, ServerPermits permits) {
    this(connectTimeout, permits, null);
  }

  /**
   * @param owners names each binding's sessions after this replica and the binding, and releases
   *     migration locks left by dead migrators; null for neither
   */
  public PostgresBindingDatabase(
      Duration connectTimeout, ServerPermits permits, LockOwners owners) {
    this.connectTimeout = connectTimeout;
    this.permits = permits;
    this.owners = owners;
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

  private Session connect(
      DatabaseUrl url,
      MigrationsSpec migrations,
      DatabaseBinding binding,
      ServerPermits.Permit permit) {
    boolean named = owners != null && binding != null;
    // Every session of the run (the check, preflight, Flyway, the blocker watch) says whose it is.
    DataSource dataSource =
        named
            ? DataSources.unpooled(
                url, connectTimeout, Duration.ZERO, owners.applicationName(binding))
            : DataSources.unpooled(url, connectTimeout, Duration.ZERO);
    LockRelease release = named && migrations != null ? owners.release(binding, migrations) : null;
    Optional<SchemaHistory> history =
        Optional.ofNullable(migrations).map(m -> new SchemaHistory(m.getSchema(), m.getTable()));
    try (DatabaseProbe probe = new DatabaseProbe(dataSource::getConnection, connectTimeout, 1)) {
      DatabaseProbe.Opened<String> opened =
          probe.open(
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                  rs.next();
                }
                return history.isPresent() ? history.get().fingerprint(c).orElse("") : "";
              });
      return new OneConnection(
          opened.connection(), dataSource, migrations, history, opened.value(), permit, release);
    } catch (RuntimeException e) {
      permit.close();
      throw e;
    }
  }

  /** A session on one connection, holding its server permit until closed. */
  private static final class OneConnection implements Session {
    private final Connection connection;
    private final Migrator migrator;
    private final Optional<SchemaHistory> history;
    private final String historyAtOpen;
    private final ServerPermits.Permit permit;

    OneConnection(
        Connection connection,
        DataSource fresh,
        MigrationsSpec spec,
        Optional<SchemaHistory> history,
        String historyAtOpen,
        ServerPermits.Permit permit,
        LockRelease release) {
      this.connection = connection;
      this.history = history;
      this.historyAtOpen = historyAtOpen;
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
      return historyAtOpen;
    }

    @Override
    public InfoReport info(MigrationSource source) {
      return migrator.info(source);
    }

    @Override
    public MigrationResult migrate(MigrationSource source) {
      return migrator.migrate(source);
    }

    @Override
    public MigrationResult migrateAll(MigrationSource source) {
      return migrator.withTarget(MigrationOptions.LATEST).migrate(source);
    }

    @Override
    public Optional<String> historyNow() {
      if (history.isEmpty()) {
        return Optional.of("");
      }
      try {
        return Optional.of(history.get().fingerprint(connection).orElse(""));
      } catch (SQLException e) {
        return Optional.empty();
      }
    }

    @Override
    public SchemaSnapshot schema(String schema, String historyTable) {
      try {
        return new SchemaCatalog(schema, historyTable).read(connection);
      } catch (SQLException e) {
        throw SqlErrors.translate(e);
      }
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (SQLException e) {
        // Closing a connection the server already dropped: nothing is left to free.
      } finally {
        permit.close();
      }
    }
  }
}
