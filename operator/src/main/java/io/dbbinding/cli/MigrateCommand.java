package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.lint.LintMode;
import io.dbbinding.lint.LintReport;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.MigrationTimeouts;
import io.dbbinding.migrate.Migrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dbbinding migrate}: like {@code alembic upgrade head}. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Apply pending migrations from --location to the database in DATABASE_URL.",
      "Exit codes: 0 done, 1 a migration or validation failed, 2 bad usage or settings."
    })
final class MigrateCommand extends MigrationCommand {
  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description =
          "Longest a statement waits for a lock before its migration is rolled back and retried"
              + " (a few times), such as 5s or 500ms; 0 for no limit (default: ${DEFAULT-VALUE}).")
  String lockTimeout;

  @Option(
      names = "--statement-timeout",
      paramLabel = "DURATION",
      defaultValue = "0",
      description = "Longest one statement may run, such as 10m; 0 for no limit (default).")
  String statementTimeout;

  MigrateCommand(CliContext context) {
    super(context);
  }

  @Override
  MigrationTimeouts timeouts() {
    return new MigrationTimeouts(
        MigrationTimeouts.parse("--lock-timeout", lockTimeout),
        MigrationTimeouts.parse("--statement-timeout", statementTimeout),
        true);
  }

  @Override
  String name() {
    return "migrate";
  }

  @Override
  int run(Migrator migrator, MigrationPrinter printer) {
    if (options.locations.isEmpty()) {
      throw new ConfigurationException(
          "migrate needs at least one --location DIR holding the migrations");
    }
    MigrationSource source = options.source(context.workingDirectory());
    LintMode mode = options.lintMode();
    LintReport lint = PendingLint.check(mode, migrator, source, printer, context.err());
    if (!lint.clean() && mode == LintMode.BLOCK) {
      String message =
          "nothing applied: "
              + String.join("; ", lint.summaryByScript())
              + " break lint rules; fix them, waive a rule with '-- dbbinding:allow <rule>' on"
              + " the line before the statement, or run with --lint warn";
      printer.error("migrate", "UnsafeMigration", message);
      context.err().println("dbbinding: " + message);
      return ExitCode.FAILED;
    }
    MigrationResult result = migrator.migrate(source);
    printer.migrated(result);
    return ExitCode.OK;
  }
}
