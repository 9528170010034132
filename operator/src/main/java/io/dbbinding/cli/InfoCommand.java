package io.dbbinding.cli;

import io.dbbinding.migrate.ContractSteps;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import picocli.CommandLine.Command;

/** {@code dbbinding info}: like {@code alembic current} and {@code alembic history}. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Show the schema version and every migration: applied, failed, and with --location,",
      "pending. Exit codes: 0 done, 1 the database failed, 2 bad usage or settings."
    })
final class InfoCommand extends MigrationCommand {
  InfoCommand(CliContext context) {
    super(context);
  }

  @Override
  String name() {
    return "info";
  }

  @Override
  int run(Migrator migrator, MigrationPrinter printer) {
    MigrationSource source = options.source(context.workingDirectory());
    PendingLint.check(options.lintMode(), migrator, source, printer, context.err());
    printer.info(migrator.info(source), ContractSteps.scripts(source.load()));
    return ExitCode.OK;
  }
}
