package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.lint.LintMode;
import io.dbbinding.lint.LintReport;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import picocli.CommandLine.Command;

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
  MigrateCommand(CliContext context) {
    super(context);
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
