package io.dbbinding.binding;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.db.DatabaseProbe;
import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import io.dbbinding.migrate.SchemaHistory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The operator's {@link BindingDatabase}: a connection per use, no pool, so that nothing is held
 * between reconciles; the first connection is bounded by the connect time-out.
 */
public final class PostgresBindingDatabase implements BindingDatabase {
  private final Duration connectTimeout;

  public PostgresBindingDatabase(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  @Override
  public Session open(DatabaseUrl url, MigrationsSpec migrations) {
    DataSource dataSource = DataSources.unpooled(url, connectTimeout, Duration.ZERO);
    Optional<SchemaHistory> history =
        Optional.ofNullable(migrations).map(m -> new SchemaHistory(m.getSchema(), m.getTable()));
    String fingerprint;
    try (DatabaseProbe probe = new DatabaseProbe(dataSource::getConnection, connectTimeout, 1)) {
      fingerprint =
          probe.run(
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                  rs.next();
                }
                return history.isPresent() ? history.get().fingerprint(c).orElse("") : "";
              });
    }
    return new UnpooledSession(dataSource, migrations, history, fingerprint);
  }

  private static final class UnpooledSession implements Session {
    private final DataSource dataSource;
    private final MigrationsSpec spec;
    private final Optional<SchemaHistory> history;
    private final String historyAtOpen;

    UnpooledSession(
        DataSource dataSource,
        MigrationsSpec spec,
        Optional<SchemaHistory> history,
        String historyAtOpen) {
      this.dataSource = dataSource;
      this.spec = spec;
      this.history = history;
      this.historyAtOpen = historyAtOpen;
    }

    @Override
    public String historyAtOpen() {
      return historyAtOpen;
    }

    @Override
    public InfoReport info(MigrationSource source) {
      return migrator().info(source);
    }

    @Override
    public MigrationResult migrate(MigrationSource source) {
      return migrator().migrate(source);
    }

    private Migrator migrator() {
      return new Migrator(
          dataSource,
          new MigrationOptions(
              spec.getSchema(), spec.getTable(), spec.getTarget(), spec.isBaselineOnMigrate()),
          spec.timeouts());
    }

    @Override
    public Optional<String> historyNow() {
      if (history.isEmpty()) {
        return Optional.of("");
      }
      try (Connection c = dataSource.getConnection()) {
        return Optional.of(history.get().fingerprint(c).orElse(""));
      } catch (SQLException e) {
        return Optional.empty();
      }
    }

    @Override
    public void close() {
      // Nothing held: each use opened and closed its own connection.
    }
  }
}
