package io.dbbinding.migrate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * How Flyway is configured: the files handed over in memory ({@link InMemoryResources}), schema,
 * history table, target and baseline from the {@link MigrationOptions}, no placeholders, no clean,
 * a session-level advisory lock, and which migration states are not errors. The data source is the
 * caller's, so that where connections come from is decided in one place.
 */
final class FlywaySetup {
  private final MigrationOptions options;

  FlywaySetup(MigrationOptions options) {
    this.options = options;
  }

  /** Flyway's settings for parsing files, without a database: what {@link Preflight} uses. */
  static Configuration parsing() {
    return Flyway.configure(FlywaySetup.class.getClassLoader()).placeholderReplacement(false);
  }

  /** A Flyway that applies nothing (info, validate); without files it reads the history alone. */
  Flyway reading(DataSource dataSource, List<MigrationFile> files) {
    return configure(dataSource, files, Map.of()).load();
  }

  /**
   * A Flyway that applies the files.
   *
   * @param plans how each file is applied, by script name as Flyway records it
   * @param sessionTimeouts sets the time-outs on the connection that applies each file
   */
  Flyway applying(
      DataSource dataSource,
      List<MigrationFile> files,
      Map<String, MigrationPlan> plans,
      Callback sessionTimeouts) {
    return configure(dataSource, files, plans).callbacks(sessionTimeouts).load();
  }

  private FluentConfiguration configure(
      DataSource dataSource, List<MigrationFile> files, Map<String, MigrationPlan> plans) {
    Map<String, Boolean> inTransaction = new HashMap<>();
    plans.forEach(
        (name, p) -> inTransaction.put(name, p.mode() != MigrationPlan.Mode.NON_TRANSACTIONAL));
    FluentConfiguration config =
        Flyway.configure(FlywaySetup.class.getClassLoader())
            .dataSource(dataSource)
            .schemas(options.schema())
            .defaultSchema(options.schema())
            .createSchemas(true)
            .table(options.table())
            .target(
                MigrationOptions.LATEST.equals(options.target())
                    ? MigrationVersion.LATEST
                    : MigrationVersion.fromVersion(options.target()))
            .baselineOnMigrate(options.baselineOnMigrate())
            .placeholderReplacement(false)
            .validateMigrationNaming(true)
            .cleanDisabled(true)
            .failOnMissingLocations(false)
            .resourceProvider(new InMemoryResources(files, inTransaction))
            .locations("classpath:dbbinding/no-java-migrations");
    // A session-level advisory lock on the one connection that applies the migrations. Flyway's
    // default, a transactional lock, holds a second connection idle in a transaction (with a
    // snapshot) for the whole run, and CREATE INDEX CONCURRENTLY waits for every such snapshot
    // to end: the run would wait for itself forever.
    config
        .getPluginRegister()
        .getExact(PostgreSQLConfigurationExtension.class)
        .setTransactionalLock(false);
    // Pending migrations are what migrate applies; validate reports them separately. Without
    // files (info from the history alone) applied migrations are expected to have none.
    if (files.isEmpty()) {
      config.ignoreMigrationPatterns("*:pending", "*:missing", "*:future");
    } else {
      config.ignoreMigrationPatterns("*:pending", "*:future");
    }
    return config;
  }
}
