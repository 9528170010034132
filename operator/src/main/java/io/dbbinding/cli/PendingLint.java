package io.dbbinding.cli;

import io.dbbinding.lint.LintMode;
import io.dbbinding.lint.LintReport;
import io.dbbinding.lint.MigrationLinter;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import java.io.PrintWriter;

/**
 * What {@code migrate}, {@code info} and {@code validate} do before their own work: lint the
 * migrations that are pending, and show what they break (on standard error for people, under {@code
 * "lint"} in JSON).
 */
final class PendingLint {
  private PendingLint() {}

  /** The problems of the pending migrations; none when the mode is off or nothing is pending. */
  static LintReport check(
      LintMode mode,
      Migrator migrator,
      MigrationSource source,
      MigrationPrinter printer,
      PrintWriter err) {
    if (mode == LintMode.OFF) {
      return new LintReport(0, java.util.List.of());
    }
    LintReport report = new MigrationLinter().lintPending(source.load(), migrator.info(source));
    printer.lint(LintPrinter.rows(report));
    if (!report.clean()) {
      err.println(
          "dbbinding: "
              + (mode == LintMode.BLOCK ? "" : "warning: ")
              + "pending migrations break lint rules:");
      new LintPrinter().problems(err, report);
    }
    return report;
  }
}
