package io.dbbinding.cli;

import io.dbbinding.lint.LintReport;
import io.dbbinding.lint.MigrationLinter;
import io.dbbinding.migrate.MigrationError;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dbbinding lint}: what each migration would do to a busy database, without one. Needs no
 * DATABASE_URL: it reads only the files.
 */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Report, for each statement of the migrations in --location, the rules it breaks (squawk's",
      "names), the lock it takes and what to write instead. Waive a rule with",
      "'-- dbbinding:allow <rule>' on the line before the statement.",
      "Exit codes: 0 no problems, 1 problems, 2 bad usage."
    })
final class LintCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin LocationsMixin locations;

  @Option(
      names = "--output",
      defaultValue = "text",
      description = "text (for people) or json (stable, see README) (default: ${DEFAULT-VALUE}).")
  MigrationOptionsMixin.Output output;

  LintCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    MigrationPrinter printer = new MigrationPrinter(context.out(), json());
    if (locations.isEmpty()) {
      String message = "lint needs at least one --location DIR holding the migrations";
      printer.error("lint", MigrationError.Reason.INVALID_CONFIGURATION.code(), message);
      context.err().println("dbbinding: " + message);
      return ExitCode.USAGE;
    }
    LintReport report;
    try {
      report =
          new MigrationLinter()
              .lint(new ArrayList<>(locations.source(context.workingDirectory()).load()));
    } catch (MigrationError e) {
      printer.error("lint", e.reason().code(), e.getMessage());
      context.err().println("dbbinding: " + e.getMessage());
      return MigrationCommand.usageProblem(e.reason()) ? ExitCode.USAGE : ExitCode.FAILED;
    }
    new LintPrinter().report(context.out(), report, json());
    return report.clean() ? ExitCode.OK : ExitCode.FAILED;
  }

  private boolean json() {
    return output == MigrationOptionsMixin.Output.json;
  }
}
