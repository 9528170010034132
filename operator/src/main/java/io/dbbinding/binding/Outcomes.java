package io.dbbinding.binding;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.migrate.MigrationError;

/**
 * How the migration engine's failures show on a binding: the condition reason, and whether a retry
 * with backoff, a change to an input, or only a person can fix it.
 */
final class Outcomes {
  private Outcomes() {}

  static String reasonOf(MigrationError.Reason reason) {
    return switch (reason) {
      case CHECKSUM_MISMATCH -> Reasons.CHECKSUM_MISMATCH;
      case SOURCE_NOT_FOUND -> Reasons.SOURCE_NOT_FOUND;
      case INVALID_MIGRATION_NAME, INVALID_MIGRATION_FILE -> Reasons.INVALID_MIGRATION_NAME;
      case MIGRATION_FAILED, MISSING_MIGRATION, INVALID_CONFIGURATION, MIXED_TRANSACTION ->
          Reasons.MIGRATION_FAILED;
      case LOCK_TIMEOUT -> Reasons.LOCK_TIMEOUT;
      case INVALID_INDEX -> Reasons.INVALID_INDEX;
      case MIGRATION_LOCK_HELD -> Reasons.MIGRATION_LOCK_HELD;
    };
  }

  static Retry retryOf(MigrationError.Reason reason) {
    return switch (reason) {
      case MIGRATION_FAILED, LOCK_TIMEOUT -> Retry.TRANSIENT;
      case MIGRATION_LOCK_HELD -> Retry.WAITING;
      case SOURCE_NOT_FOUND -> Retry.ON_CHANGE;
      default -> Retry.PERMANENT;
    };
  }

  /** The step for a failed run: its reason and the engine's message, which names the file. */
  static Step failed(MigrationError e) {
    return Step.failed(reasonOf(e.reason()), e.getMessage());
  }

  static String shown(String version) {
    return version == null ? "none" : version;
  }

  static Step upToDate(String version) {
    return Step.ok(Reasons.UP_TO_DATE, "Schema is at version " + shown(version));
  }
}
