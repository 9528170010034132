package io.dbbinding.binding;

import io.dbbinding.migrate.InfoReport;
import java.util.List;

/**
 * What one reconcile found out about a binding's database.
 *
 * @param reachable the DatabaseReachable outcome
 * @param migrations the MigrationsApplied outcome
 * @param provider detected from the URL; null when the URL could not be read
 * @param info the migration state; null when the database was not reached
 * @param applied the scripts applied by this reconcile
 * @param retry what kind of failure, if any, this is
 * @param lintWarnings one line per pending migration that breaks a lint rule and was applied anyway
 *     (spec.migrations.lint: warn), naming the rules
 * @param fingerprint what status.migrationsFingerprint records: set after a successful pass; null
 *     when there was none (a failure, no migrations, or the database not reached)
 * @param drift the SchemaDrift outcome; {@link DriftOutcome#notChecked} when the schema was not
 *     compared
 */
public record Observation(
    Step reachable,
    Step migrations,
    String provider,
    InfoReport info,
    List<String> applied,
    Retry retry,
    List<String> lintWarnings,
    String fingerprint,
    DriftOutcome drift) {

  /** Whether trying again may help. */
  public enum Retry {
    /** Nothing failed. */
    NONE,
    /** Waiting for a Secret or ConfigMap to appear or change: their events trigger the retry. */
    ON_CHANGE,
    /** A retry with backoff may help (the database is down, a migration hit a lock). */
    TRANSIENT,
    /** Only a person can fix it (a malformed URL, an edited migration). */
    PERMANENT,
    /**
     * Waiting for something that ends on its own: the migration lock held by another run (it
     * finishes, or its dead owner's grace period runs out). Reported and checked again soon, but
     * not a failure that uses up spec.retryLimit: a long migration elsewhere must not stall the
     * binding.
     */
    WAITING,
    /**
     * Not observed: a routine check of a settled binding found its database server busy with new or
     * changed bindings, and gave way. Tried again in a moment; the status is left as it is.
     */
    DEFERRED
  }

  public Observation {
    applied = List.copyOf(applied);
    lintWarnings = List.copyOf(lintWarnings);
    drift = drift == null ? DriftOutcome.notChecked() : drift;
  }

  public Observation(
      Step reachable,
      Step migrations,
      String provider,
      InfoReport info,
      List<String> applied,
      Retry retry,
      List<String> lintWarnings,
      String fingerprint) {
    this(reachable, migrations, provider, info, applied, retry, lintWarnings, fingerprint, null);
  }

  /** This observation, with the drift check's outcome. */
  public Observation withDrift(DriftOutcome d) {
    return new Observation(
        reachable, migrations, provider, info, applied, retry, lintWarnings, fingerprint, d);
  }

  public Observation(
      Step reachable,
      Step migrations,
      String provider,
      InfoReport info,
      List<String> applied,
      Retry retry) {
    this(reachable, migrations, provider, info, applied, retry, List.of(), null);
  }

  /** The database was never reached: the input or the connection failed. */
  public static Observation notReached(Step failure, String provider, Retry retry) {
    return new Observation(failure, unknownMigrations(), provider, null, List.of(), retry);
  }

  /** The database answered; the migrations came to {@code m}. */
  public static Observation reached(Step connected, String provider, MigrationOutcome m) {
    return new Observation(
        connected,
        m.step(),
        provider,
        m.info(),
        m.applied(),
        m.retry(),
        m.lintWarnings(),
        m.fingerprint());
  }

  /** A routine check put off because the database server is busy: nothing to report. */
  public static Observation deferred() {
    Step none = Step.unknown(Reasons.DATABASE_NOT_REACHABLE, "Not checked: the server was busy");
    return new Observation(none, none, null, null, List.of(), Retry.DEFERRED);
  }

  public boolean isDeferred() {
    return retry == Retry.DEFERRED;
  }

  /** The database went away in the middle of the migration pass. */
  public static Observation lostDuringPass(String message, String provider) {
    return notReached(
        Step.failed(Reasons.UNREACHABLE, message + "; retrying with backoff"),
        provider,
        Retry.TRANSIENT);
  }

  private static Step unknownMigrations() {
    return Step.unknown(
        Reasons.DATABASE_NOT_REACHABLE, "Migrations are checked once the database is reachable");
  }

  /**
   * The step that failed first, reachability before migrations; null when none did. A contract step
   * waiting for the rollout is no failure: the schema serves every running pod.
   */
  public Step failure() {
    if (!reachable.isTrue()) {
      return reachable;
    }
    return migrations.isTrue() || waitingForRollout() ? null : migrations;
  }

  /** Whether a contract step waits for pods that still need an older schema. */
  public boolean waitingForRollout() {
    return reachable.isTrue() && Reasons.WAITING_FOR_ROLLOUT.equals(migrations.reason());
  }
}
