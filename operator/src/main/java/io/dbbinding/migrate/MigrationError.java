package io.dbbinding.migrate;

import io.dbbinding.db.DatabaseError;
import java.util.Locale;

/**
 * A migration run that could not be done, with a reason a program can act on and a message a person
 * can: it names the file and, for SQL errors, the database's SQLSTATE and position.
 */
public final class MigrationError extends DatabaseError {
  private static final long serialVersionUID = 1L;

  /** Why; each maps to one condition reason of a DatabaseBinding. */
  public enum Reason {
    /** A migration's SQL failed; it was rolled back. */
    MIGRATION_FAILED,
    /** An applied migration's file changed since it was applied (or its type or description). */
    CHECKSUM_MISMATCH,
    /** A migration recorded as applied has no file any more. */
    MISSING_MIGRATION,
    /** The folder, classpath location or ConfigMap holds no migrations, or does not exist. */
    SOURCE_NOT_FOUND,
    /** A file name is not a Flyway migration name, or two files share a version. */
    INVALID_MIGRATION_NAME,
    /** A file cannot be read, is empty, or is not UTF-8. */
    INVALID_MIGRATION_FILE,
    /** Flyway refused the configuration (target, schema, table). */
    INVALID_CONFIGURATION,
    /**
     * A statement waited longer than the lock time-out, every retry of this attempt; another
     * session holds the lock (the message names it). Rolled back; a later attempt may succeed.
     */
    LOCK_TIMEOUT,
    /** A concurrent index build that failed before left an INVALID index; it must be dropped. */
    INVALID_INDEX,
    /**
     * A file mixes statements PostgreSQL runs only outside a transaction with others; it must be
     * split.
     */
    MIXED_TRANSACTION,
    /**
     * Another session holds the migration lock: a running migrator, or one whose owner is gone and
     * whose grace period has not passed (or that this role may not terminate). Retried soon.
     */
    MIGRATION_LOCK_HELD;

    /**
     * The reason as the CLI's JSON and the binding's conditions write it: CamelCase, as Kubernetes
     * condition reasons are ({@code MIGRATION_FAILED} is {@code MigrationFailed}).
     */
    public String code() {
      StringBuilder code = new StringBuilder();
      for (String word : name().split("_")) {
        code.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
      }
      return code.toString();
    }

    /** Whether retrying without a change by a person cannot help. */
    public boolean permanent() {
      return this != MIGRATION_FAILED && this != LOCK_TIMEOUT && this != MIGRATION_LOCK_HELD;
    }
  }

  private final Reason reason;

  public MigrationError(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public MigrationError(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
