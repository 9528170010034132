package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/**
 * What the drift check of one reconcile came to: the SchemaDrift condition, the baseline the status
 * records, and whether the binding is held not Ready for it.
 *
 * @param step the SchemaDrift condition; null when the schema was not looked at this time (the
 *     database not reached, the migration pass failed): the status keeps what it had
 * @param fingerprint the baseline's fingerprint, for status.schemaFingerprint; null when there is
 *     none (drift off, no migrations)
 * @param blocks whether Ready is False for it (a drift, and spec.migrations.drift block)
 */
public record DriftOutcome(Step step, String fingerprint, boolean blocks) {
  /** Not looked at: the status keeps its SchemaDrift condition and fingerprint. */
  public static DriftOutcome notChecked() {
    return new DriftOutcome(null, null, false);
  }

  static DriftOutcome off() {
    return new DriftOutcome(
        Step.failed(
            Reasons.DRIFT_CHECK_OFF, "spec.migrations.drift is off: the schema is not compared"),
        null,
        false);
  }

  static DriftOutcome notConfigured() {
    return new DriftOutcome(
        Step.failed(Reasons.NOT_CONFIGURED, "No migrations configured: no schema to compare"),
        null,
        false);
  }

  static DriftOutcome none(String schema, String fingerprint) {
    return new DriftOutcome(
        Step.failed(Reasons.NO_DRIFT, "Schema " + schema + " is as the last migration left it"),
        fingerprint,
        false);
  }

  /**
   * @param what the changes, as {@link io.dbbinding.migrate.SchemaDiff#describe} names them, or
   *     what is known when they cannot be named
   */
  static DriftOutcome drifted(String schema, String what, String fingerprint, DriftMode mode) {
    String message =
        "Schema "
            + schema
            + " was changed outside migrations: "
            + what
            + "; undo the change, or make it a migration (the schema it leaves is the new"
            + " baseline)"
            + (mode == DriftMode.BLOCK
                ? "; Ready is False while spec.migrations.drift is block"
                : "");
    return new DriftOutcome(
        Step.ok(Reasons.DRIFTED, message), fingerprint, mode == DriftMode.BLOCK);
  }

  public boolean checked() {
    return step != null;
  }

  /**
   * Whether {@code after} reports a drift that {@code before} did not: one Warning Event and one
   * count of dbbinding_schema_drift_total per drift, not one per check.
   */
  public static boolean newlyDrifted(DatabaseBindingStatus before, DatabaseBindingStatus after) {
    return drifted(after).isPresent() && drifted(before).isEmpty();
  }

  /** The SchemaDrift condition of {@code s}, when it is True. */
  static Optional<Condition> drifted(DatabaseBindingStatus s) {
    return Conditions.find(s == null ? null : s.getConditions(), Reasons.SCHEMA_DRIFT)
        .filter(c -> Conditions.TRUE.equals(c.getStatus()));
  }
}
