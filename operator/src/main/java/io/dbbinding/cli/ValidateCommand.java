package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.lint.LintMode;
import io.dbbinding.lint.LintReport;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import io.dbbinding.migrate.ValidationReport;
import picocli.CommandLine.Command;

/** {@code dbbinding validate}: do the applied migrations still match their files? */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Check that every applied migration matches its file in --location (checksums, names,",
      "nothing missing). Pending migrations are counted, not failures.",
      "Exit codes: 0 valid, 1 invalid, 2 bad usage or settings."
    })
final class ValidateCommand extends MigrationCommand {
  ValidateCommand(CliContext context) {
    super(context);
  }

  @Override
  String name() {
    return "validate";
  }

  @Override
  int run(Migrator migrator, MigrationPrinter printer) {
    if (options.locations.isEmpty()) {
      throw new ConfigurationException(
          "validate needs at least one --location DIR holding the migrations");
    }
    MigrationSource source = options.source(context.workingDirectory());
    LintMode mode = options.lintMode();
    LintReport lint = PendingLint.check(mode, migrator, source, printer, context.err());
    ValidationReport report = migrator.validate(source);
    printer.validated(report);
    if (!report.valid()) {
      context.err().println("dbbinding: " + report.problems().get(0).message());
      return ExitCode.FAILED;
    }
    if (!lint.clean() && mode == LintMode.BLOCK) {
      context.err().println("dbbinding: pending migrations break lint rules (--lint block)");
      return ExitCode.FAILED;
    }
    return ExitCode.OK;
  }
}
