package io.dbbinding.cli;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.LogLevel;
import io.dbbinding.config.Settings;
import io.dbbinding.db.DataSources;
import io.dbbinding.db.DatabaseError;
import io.dbbinding.logging.Logging;
import io.dbbinding.migrate.MigrationError;
import io.dbbinding.migrate.MigrationTimeouts;
import io.dbbinding.migrate.Migrator;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Mixin;

/**
 * What {@code migrate}, {@code info} and {@code validate} share: the URL from DATABASE_URL (never a
 * flag, which would put a password in shell history and {@code ps}), one fresh connection per run,
 * output as text or JSON, and the exit codes: 0 done, 1 failed, 2 bad usage or settings.
 */
abstract class MigrationCommand implements Callable<Integer> {
  /** A CLI run may wait longer for a remote database than a probe may. */
  private static final Duration MIN_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  protected final CliContext context;
  @Mixin protected MigrationOptionsMixin options;

  MigrationCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Settings settings = context.settings();
    DatabaseUrl url = settings.requireDatabaseUrl();
    LogLevel level =
        settings.logLevel().compareTo(LogLevel.WARN) < 0 && settings.logLevel() != LogLevel.DEBUG
            ? LogLevel.WARN
            : settings.logLevel();
    Logging.configure(level, settings.logFormat(), true);
    Duration timeout =
        settings.connectTimeout().compareTo(MIN_CONNECT_TIMEOUT) < 0
            ? MIN_CONNECT_TIMEOUT
            : settings.connectTimeout();
    DataSource dataSource =
        DataSources.unpooled(
            url,
            timeout,
            Duration.ZERO,
            CliRunName.applicationName(
                context.settingSource(), CliRunName.SERVICE_ACCOUNT_NAMESPACE));
    this.dataSource = dataSource;
    MigrationPrinter printer = new MigrationPrinter(context.out(), options.json());
    try {
      Migrator migrator = new Migrator(dataSource, options.options(), timeouts());
      return run(migrator, printer);
    } catch (MigrationError e) {
      printer.error(name(), e.reason().code(), e.getMessage());
      context.err().println("dbbinding: " + e.getMessage());
      return usageProblem(e.reason()) ? ExitCode.USAGE : ExitCode.FAILED;
    } catch (DatabaseError e) {
      printer.error(name(), e.getClass().getSimpleName(), e.getMessage());
      context.err().println("dbbinding: " + e.getMessage());
      return ExitCode.FAILED;
    }
  }

  /** Problems of the input, found before the database was touched. */
  static boolean usageProblem(MigrationError.Reason reason) {
    return switch (reason) {
      case SOURCE_NOT_FOUND,
          INVALID_MIGRATION_NAME,
          INVALID_MIGRATION_FILE,
          INVALID_CONFIGURATION ->
          true;
      default -> false;
    };
  }

  abstract String name();

  /** The database of DATABASE_URL, for a command that reads more than Flyway does. */
  private DataSource dataSource;

  DataSource dataSource() {
    return dataSource;
  }

  /** The time-outs migrations run with; only {@code migrate} applies any. */
  MigrationTimeouts timeouts() {
    return MigrationTimeouts.defaults();
  }

  abstract int run(Migrator migrator, MigrationPrinter printer);
}
