package io.dbbinding.binding;

import io.dbbinding.binding.Observation.Retry;
import io.dbbinding.migrate.InfoReport;
import java.util.List;

/**
 * What a migration pass came to: the MigrationsApplied step with the schema's state after it.
 *
 * @param step the MigrationsApplied outcome
 * @param info the schema's state; null when it could not be read
 * @param applied the scripts this pass applied
 * @param retry whether, and how, trying again may help
 * @param lintWarnings one line per applied migration that breaks a lint rule (lint: warn)
 * @param fingerprint files, options and history after a successful pass ({@link
 *     MigrationMemory#fingerprint(String, String)}); null otherwise
 */
public record MigrationOutcome(
    Step step,
    InfoReport info,
    List<String> applied,
    Retry retry,
    List<String> lintWarnings,
    String fingerprint) {
  public MigrationOutcome {
    applied = List.copyOf(applied);
    lintWarnings = List.copyOf(lintWarnings);
  }

  public MigrationOutcome(
      Step step, InfoReport info, List<String> applied, Retry retry, List<String> lintWarnings) {
    this(step, info, applied, retry, lintWarnings, null);
  }

  /** This outcome, recorded as the schema the spec wants under {@code fingerprint}. */
  public MigrationOutcome verified(String fingerprint) {
    return new MigrationOutcome(step, info, applied, retry, lintWarnings, fingerprint);
  }

  /** The schema is as the spec wants it (applied now, or before). */
  public static MigrationOutcome done(
      Step step, InfoReport info, List<String> applied, List<String> lintWarnings) {
    return new MigrationOutcome(step, info, applied, Retry.NONE, lintWarnings);
  }

  /** Only looked at (suspended, or unchanged since the last pass): nothing applied. */
  public static MigrationOutcome seen(Step step, InfoReport info) {
    return new MigrationOutcome(step, info, List.of(), Retry.NONE, List.of());
  }

  /** The pass failed; {@code info} is what the database holds after it, when readable. */
  public static MigrationOutcome failed(Step step, InfoReport info, Retry retry) {
    return new MigrationOutcome(step, info, List.of(), retry, List.of());
  }

  /** The binding has no spec.migrations. */
  public static MigrationOutcome notConfigured() {
    return seen(
        Step.ok(Reasons.NOT_CONFIGURED, "No migrations configured; only reachability is checked"),
        null);
  }
}
