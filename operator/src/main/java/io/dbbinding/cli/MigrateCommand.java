package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.migrate.MigrationResult;
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
    MigrationResult result = migrator.migrate(options.source(context.workingDirectory()));
    printer.migrated(result);
    return ExitCode.OK;
  }
}
