package io.dbbinding.binding;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.migrate.InfoReport;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns an {@link Observation} into the next status: the five conditions of the design, counts and
 * versions. Pure: the same binding and observation give the same status, so an unchanged world
 * gives an unchanged status and no patch.
 */
public final class BindingStatuses {
  private BindingStatuses() {}

  /**
   * @param now the time to stamp on conditions that change status
   */
  public static DatabaseBindingStatus next(DatabaseBinding binding, Observation o, String now) {
    DatabaseBindingStatus previous =
        binding.getStatus() == null ? new DatabaseBindingStatus() : binding.getStatus();
    int failures =
        o.failure() == null
            ? 0
            : o.retry() == Retry.WAITING ? failures(previous) : failures(previous) + 1;
    boolean retriesExhausted = retryLimitReached(binding, failures);
    Long generation = binding.getMetadata().getGeneration();
    DatabaseBindingStatus s = new DatabaseBindingStatus();
    s.setObservedGeneration(generation);
    s.setProvider(o.provider() != null ? o.provider() : previous.getProvider());
    s.setFailures(failures);
    InfoReport info = o.info();
    if (info != null) {
      s.setSchemaVersion(info.schemaVersion());
      s.setAppliedMigrations(info.applied());
      s.setPendingMigrations(info.pending());
      s.setLastMigrationTime(info.lastApplied() == null ? null : info.lastApplied().toString());
    } else {
      s.setSchemaVersion(previous.getSchemaVersion());
      s.setAppliedMigrations(previous.getAppliedMigrations());
      s.setPendingMigrations(previous.getPendingMigrations());
      s.setLastMigrationTime(previous.getLastMigrationTime());
    }

    // Kept while the database cannot be reached (nothing is known to have changed); dropped when a
    // pass fails or there are no migrations, so that the next pass runs Flyway.
    s.setMigrationsFingerprint(
        o.fingerprint() != null
            ? o.fingerprint()
            : Conditions.UNKNOWN.equals(o.migrations().status())
                ? previous.getMigrationsFingerprint()
                : null);
    List<Condition> c =
        new ArrayList<>(previous.getConditions() == null ? List.of() : previous.getConditions());
    c = set(c, Reasons.DATABASE_REACHABLE, o.reachable(), generation, now);
    Step migrations = o.migrations();
    Optional<Condition> lastKnown = Conditions.find(c, Reasons.MIGRATIONS_APPLIED);
    if (Conditions.UNKNOWN.equals(migrations.status()) && lastKnown.isPresent()) {
      // Unreachable: keep what was last known about the schema rather than forget it.
      Condition k = lastKnown.get();
      migrations = new Step(k.getStatus(), k.getReason(), k.getMessage());
    }
    c = set(c, Reasons.MIGRATIONS_APPLIED, migrations, generation, now);

    DriftOutcome drift = o.drift();
    if (drift.checked()) {
      s.setSchemaFingerprint(drift.fingerprint());
      c = set(c, Reasons.SCHEMA_DRIFT, drift.step(), generation, now);
    } else {
      // Not compared this time (unreachable, a failed pass): what was last known stays.
      s.setSchemaFingerprint(previous.getSchemaFingerprint());
    }

    Step failure = o.failure();
    if (failure == null && drift.blocks()) {
      // spec.migrations.drift block: not a failure to retry, but not Ready either.
      c =
          set(
              c,
              Reasons.READY,
              Step.failed(Reasons.DRIFTED, drift.step().message()),
              generation,
              now);
    } else if (failure == null) {
      c = set(c, Reasons.READY, Step.ok(Reasons.READY, readyMessage(s)), generation, now);
    } else {
      c = set(c, Reasons.READY, Step.failed(failure.reason(), failure.message()), generation, now);
    }
    boolean stalled =
        failure != null
            && (o.retry() == Retry.PERMANENT || o.retry() == Retry.TRANSIENT && retriesExhausted);
    boolean waiting = failure != null && o.retry() == Retry.WAITING;
    boolean reconciling =
        failure != null && o.retry() == Retry.TRANSIENT && !retriesExhausted || waiting;
    c =
        set(
            c,
            Reasons.RECONCILING,
            reconciling
                ? Step.ok(
                    failure.reason(),
                    waiting
                        ? "Waiting: " + failure.message()
                        : "Retrying with backoff: " + cause(failure))
                : o.waitingForRollout()
                    ? Step.ok(Reasons.WAITING_FOR_ROLLOUT, o.migrations().message())
                    : Step.failed(Reasons.IDLE, ""),
            generation,
            now);
    c =
        set(
            c,
            Reasons.STALLED,
            stalled
                ? Step.ok(
                    o.retry() == Retry.TRANSIENT ? Reasons.RETRY_LIMIT_REACHED : failure.reason(),
                    stalledMessage(binding, o, failure))
                : Step.failed(Reasons.IDLE, ""),
            generation,
            now);
    s.setConditions(c);
    return s;
  }

  /**
   * Whether {@code failures} consecutive failed attempts use up the binding's retries: the first
   * attempt and then {@code spec.retryLimit} retries.
   */
  public static boolean retryLimitReached(DatabaseBinding binding, int failures) {
    return failures > retryLimit(binding);
  }

  /** The consecutive failures {@code status} records; 0 when it records none. */
  public static int failures(DatabaseBindingStatus status) {
    return status == null || status.getFailures() == null ? 0 : status.getFailures();
  }

  private static int retryLimit(DatabaseBinding binding) {
    return binding.getSpec() == null
        ? DatabaseBindingSpec.DEFAULT_RETRY_LIMIT
        : Math.max(0, binding.getSpec().getRetryLimit());
  }

  private static String stalledMessage(DatabaseBinding binding, Observation o, Step failure) {
    if (o.retry() == Retry.TRANSIENT) {
      int limit = retryLimit(binding);
      return "Gave up after "
          + limit
          + (limit == 1 ? " retry" : " retries")
          + " (spec.retryLimit): "
          + cause(failure)
          + "; the operator tries again when the binding, its Secret or ConfigMaps change,"
          + " and at every checkInterval";
    }
    return "Needs a change by a person: " + failure.message();
  }

  /**
   * The failure's message without the "retrying" the Reconciling or Stalled message says itself.
   */
  private static String cause(Step failure) {
    String m = failure.message();
    return m.endsWith(RETRYING) ? m.substring(0, m.length() - RETRYING.length()) : m;
  }

  private static final String RETRYING = "; retrying with backoff";

  private static String readyMessage(DatabaseBindingStatus s) {
    return s.getSchemaVersion() == null
        ? "Database reachable"
        : "Database reachable and schema at version " + s.getSchemaVersion();
  }

  private static List<Condition> set(
      List<Condition> c, String type, Step step, Long generation, String now) {
    return Conditions.set(c, type, step.status(), step.reason(), step.message(), generation, now);
  }
}
