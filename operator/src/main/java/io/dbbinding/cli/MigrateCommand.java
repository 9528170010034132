package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.lint.LintMode;
import io.dbbinding.lint.LintReport;
import io.dbbinding.migrate.ContractStep;
import io.dbbinding.migrate.ContractSteps;
import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.MigrationFile;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.MigrationTimeouts;
import io.dbbinding.migrate.Migrator;
import java.util.List;
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

  @Option(
      names = "--contract",
      description =
          "Apply contract steps (-- dbbinding:contract) too. Without it, migrate applies what"
              + " comes before the first pending contract step, says on standard error which step"
              + " it held, and exits 0: run it with --contract once no pod needs the old shape.")
  boolean contract;

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
    List<MigrationFile> files = source.load();
    List<ContractStep> pending =
        contract || files.stream().noneMatch(MigrationFile::isContract)
            ? List.of()
            : ContractSteps.pending(files, migrator.info(source).schemaVersion(), options.target);
    if (!pending.isEmpty()) {
      return holdContract(migrator, printer, source, pending.getFirst());
    }
    MigrationResult result = migrator.migrate(source);
    printer.migrated(result);
    return ExitCode.OK;
  }

  /**
   * Applies what comes before {@code held} and says, in one line, that it held it. Exits 0: an init
   * container applies the expand part and lets the new code start; the contract step is for the
   * operator (which waits for the rollout) or a later {@code migrate --contract}.
   */
  private int holdContract(
      Migrator migrator, MigrationPrinter printer, MigrationSource source, ContractStep held) {
    MigrationSource below = ContractSteps.before(source, held);
    InfoReport before = migrator.info(source);
    MigrationResult applied =
        below.load().isEmpty()
            ? new MigrationResult(
                before.schemaVersion(), before.schemaVersion(), List.of(), 0, before)
            : migrator.withTarget(MigrationOptions.LATEST).migrate(below);
    InfoReport after = migrator.info(source);
    String script = held.script().substring(held.script().lastIndexOf('/') + 1);
    printer.migrated(
        new MigrationResult(
            applied.initialVersion(),
            applied.schemaVersion(),
            applied.applied(),
            applied.durationMs(),
            after),
        script);
    context
        .err()
        .println(
            "dbbinding: held contract step "
                + script
                + " (it and what follows stay pending): it drops what code older than schema"
                + " version "
                + (held.expandVersion() == null ? "none" : held.expandVersion())
                + " uses; run migrate --contract once no pod runs that code");
    context.err().flush();
    return ExitCode.OK;
  }
}
