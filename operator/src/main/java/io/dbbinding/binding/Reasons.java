package io.dbbinding.binding;

/** The condition types and reasons of a DatabaseBinding, as the design fixes them. */
public final class Reasons {
  public static final String DATABASE_REACHABLE = "DatabaseReachable";
  public static final String MIGRATIONS_APPLIED = "MigrationsApplied";
  public static final String READY = "Ready";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  // DatabaseReachable
  public static final String CONNECTED = "Connected";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_KEY_MISSING = "SecretKeyMissing";
  public static final String INVALID_DATABASE_URL = "InvalidDatabaseURL";
  public static final String AUTHENTICATION_FAILED = "AuthenticationFailed";
  public static final String UNREACHABLE = "Unreachable";

  // MigrationsApplied
  public static final String UP_TO_DATE = "UpToDate";
  public static final String APPLIED = "Applied";
  public static final String PENDING = "Pending";
  public static final String MIGRATION_FAILED = "MigrationFailed";
  public static final String CHECKSUM_MISMATCH = "ChecksumMismatch";
  public static final String SOURCE_NOT_FOUND = "SourceNotFound";
  public static final String INVALID_MIGRATION_NAME = "InvalidMigrationName";
  public static final String NOT_CONFIGURED = "NotConfigured";

  /** A migration waited too long for a lock (transient: retried with backoff). */
  public static final String LOCK_TIMEOUT = "LockTimeout";

  /** A failed concurrent index build left an INVALID index to drop (Stalled). */
  public static final String INVALID_INDEX = "InvalidIndex";

  /** A pending migration breaks a lint rule and spec.migrations.lint is block. */
  public static final String UNSAFE_MIGRATION = "UnsafeMigration";

  /**
   * Another session holds the migration lock: a running migrator, or one whose owner pod is gone
   * and whose spec.migrations.orphanedLockGrace has not passed (transient: retried soon).
   */
  public static final String MIGRATION_LOCK_HELD = "MigrationLockHeld";

  /** Event: the migration lock was released from a session whose owner pod is gone. */
  public static final String ORPHANED_LOCK_RELEASED = "OrphanedLockReleased";

  /**
   * MigrationsApplied False and Reconciling True: a contract step ({@code -- dbbinding:contract})
   * waits until no pod of the binding needs a schema below its expand version. Not a failure: Ready
   * stays True.
   */
  public static final String WAITING_FOR_ROLLOUT = "WaitingForRollout";

  /** MigrationsApplied before the database could be reached: nothing could be checked. */
  public static final String DATABASE_NOT_REACHABLE = "DatabaseNotReachable";

  // Ready, Reconciling, Stalled
  public static final String IDLE = "Idle";

  /** Stalled: a transient failure outlasted spec.retryLimit retries. */
  public static final String RETRY_LIMIT_REACHED = "RetryLimitReached";

  /** The condition that says whether the migrated schema was changed outside migrations. */
  public static final String SCHEMA_DRIFT = "SchemaDrift";

  /** SchemaDrift (and Ready, with spec.migrations.drift block): the schema changed by hand. */
  public static final String DRIFTED = "Drifted";

  /** SchemaDrift False: the schema is as the last migration left it. */
  public static final String NO_DRIFT = "NoDrift";

  /** SchemaDrift False: spec.migrations.drift is off, so the schema is not compared. */
  public static final String DRIFT_CHECK_OFF = "DriftCheckOff";

  private Reasons() {}
}
