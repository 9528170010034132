package io.dbbinding.migrate;

import io.dbbinding.migrate.MigrationError.Reason;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * What Flyway's validation found, one {@link ValidationReport.Problem} per migration, each naming
 * the file, its {@link Reason} and what to do about it.
 */
final class ValidationProblems {
  private ValidationProblems() {}

  /** The problems of a validation; empty when it passed. */
  static List<ValidationReport.Problem> of(ValidateResult result) {
    List<ValidationReport.Problem> problems = new ArrayList<>();
    if (result.invalidMigrations != null) {
      for (ValidateOutput v : result.invalidMigrations) {
        problems.add(problem(v));
      }
    }
    if (problems.isEmpty() && !result.validationSuccessful && result.errorDetails != null) {
      problems.add(
          new ValidationReport.Problem(
              "", Reason.MIGRATION_FAILED, MessageText.oneLine(result.errorDetails.errorMessage)));
    }
    return problems;
  }

  /**
   * Why migrate refused to start: validates again to name the first problem, and how many more
   * there are.
   */
  static MigrationError failure(Flyway flyway) {
    ValidateResult result;
    try {
      result = flyway.validateWithResult();
    } catch (FlywayException e) {
      return FlywayErrors.translate(e);
    }
    List<ValidationReport.Problem> problems = of(result);
    if (problems.isEmpty()) {
      return new MigrationError(Reason.MIGRATION_FAILED, "validation failed");
    }
    ValidationReport.Problem first = problems.get(0);
    String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
    return new MigrationError(first.reason(), first.message() + more);
  }

  private static ValidationReport.Problem problem(ValidateOutput v) {
    String script =
        v.filepath == null || v.filepath.isEmpty() ? describe(v) : MessageText.fileName(v.filepath);
    ErrorCode code = v.errorDetails == null ? null : v.errorDetails.errorCode;
    Reason reason;
    String message;
    if (code == CoreErrorCode.CHECKSUM_MISMATCH
        || code == CoreErrorCode.TYPE_MISMATCH
        || code == CoreErrorCode.DESCRIPTION_MISMATCH) {
      reason = Reason.CHECKSUM_MISMATCH;
      message =
          script
              + " was changed after it was applied (checksum mismatch); restore the applied"
              + " version and put the change in a new migration";
    } else if (code == CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED
        || code == CoreErrorCode.APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED) {
      reason = Reason.MISSING_MIGRATION;
      message = script + " was applied but is missing from the migrations; restore the file";
    } else if (code == CoreErrorCode.FAILED_VERSIONED_MIGRATION
        || code == CoreErrorCode.FAILED_REPEATABLE_MIGRATION) {
      reason = Reason.MIGRATION_FAILED;
      message = script + " is recorded as failed in the history table; repair it by hand";
    } else {
      reason = Reason.MIGRATION_FAILED;
      message =
          script
              + ": "
              + (v.errorDetails == null
                  ? "invalid"
                  : MessageText.oneLine(v.errorDetails.errorMessage));
    }
    return new ValidationReport.Problem(script, reason, message);
  }

  /** The file name of a migration Flyway reports without a path. */
  private static String describe(ValidateOutput v) {
    return (v.version == null || v.version.isEmpty() ? "R" : "V" + v.version)
        + "__"
        + String.valueOf(v.description).replace(' ', '_')
        + ".sql";
  }
}
