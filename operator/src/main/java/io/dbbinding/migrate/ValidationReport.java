package io.dbbinding.migrate;

import java.util.List;

/**
 * What {@code validate} found. Pending migrations are normal (they are what {@code migrate} is for)
 * and are counted, not reported as problems.
 *
 * @param problems one line each, naming the file
 */
public record ValidationReport(boolean valid, int pending, List<Problem> problems) {
  /** A problem with one migration. */
  public record Problem(String script, MigrationError.Reason reason, String message) {}

  public ValidationReport {
    problems = List.copyOf(problems);
  }
}
