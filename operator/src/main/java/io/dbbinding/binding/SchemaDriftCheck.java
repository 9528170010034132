package io.dbbinding.binding;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.binding.SchemaBaselines.Baseline;
import io.dbbinding.migrate.SchemaDiff;
import io.dbbinding.migrate.SchemaSnapshot;
import java.util.Optional;

/**
 * Compares a binding's migrated schema with the baseline its last migration left, after each
 * successful migration pass: one catalog query ({@link io.dbbinding.migrate.SchemaCatalog}). A pass
 * that applied something, or a history table that changed since the baseline (migrations run by
 * anyone), makes the live schema the new baseline: a change made by a migration is never drift. A
 * {@link io.dbbinding.db.DatabaseError} (the database went away) is left to the caller.
 */
final class SchemaDriftCheck {
  private final SchemaBaselines baselines;

  SchemaDriftCheck(SchemaBaselines baselines) {
    this.baselines = baselines;
  }

  DriftOutcome check(
      DatabaseBinding binding,
      MigrationsSpec spec,
      MigrationOutcome pass,
      BindingDatabase.Session session) {
    String key = MigrationMemory.key(binding);
    DriftMode mode = DriftMode.of(spec);
    if (mode == DriftMode.OFF) {
      baselines.forget(key);
      return DriftOutcome.off();
    }
    if (!pass.step().isTrue() || pass.retry() != Retry.NONE) {
      // The schema is not where the migrations meant to leave it: nothing to compare.
      return DriftOutcome.notChecked();
    }
    String history =
        pass.applied().isEmpty() ? session.historyAtOpen() : session.historyNow().orElse("");
    String schema = spec.getSchema();
    SchemaSnapshot live = session.schema(schema, spec.getTable());
    Optional<Baseline> base = baselines.get(key);
    if (!pass.applied().isEmpty() || base.isPresent() && !base.get().history().equals(history)) {
      return rebaseline(key, history, live);
    }
    if (base.isPresent()) {
      SchemaSnapshot baseline = base.get().snapshot();
      SchemaDiff diff = SchemaDiff.between(baseline, live);
      return diff.inSync()
          ? DriftOutcome.none(schema, baseline.fingerprint())
          : DriftOutcome.drifted(schema, diff.describe(), baseline.fingerprint(), mode);
    }
    // Nothing remembered: the binding's first check by this operator, after a restart or not.
    DatabaseBindingStatus status = binding.getStatus();
    String recorded = status == null ? null : status.getSchemaFingerprint();
    boolean historyAsRecorded =
        status != null
            && pass.fingerprint() != null
            && pass.fingerprint().equals(status.getMigrationsFingerprint());
    if (recorded == null || !historyAsRecorded) {
      return rebaseline(key, history, live);
    }
    if (recorded.equals(live.fingerprint())) {
      baselines.put(key, new Baseline(history, live));
      return DriftOutcome.none(schema, recorded);
    }
    return DriftOutcome.drifted(
        schema,
        "its fingerprint is "
            + live.fingerprint()
            + ", not the "
            + recorded
            + " the last migration left; the operator restarted since, so it cannot name the"
            + " objects (dbbinding diff names them)",
        recorded,
        mode);
  }

  private DriftOutcome rebaseline(String key, String history, SchemaSnapshot live) {
    baselines.put(key, new Baseline(history, live));
    return DriftOutcome.none(live.schema(), live.fingerprint());
  }
}
