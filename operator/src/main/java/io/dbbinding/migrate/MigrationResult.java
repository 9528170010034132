package io.dbbinding.migrate;

import java.util.List;

/**
 * What {@code migrate} did.
 *
 * @param initialVersion the version before; null for an empty schema
 * @param schemaVersion the version after; null when still nothing is applied
 * @param applied the scripts applied by this run, in order
 * @param durationMs the time the run took
 * @param info the state after the run
 */
public record MigrationResult(
    String initialVersion,
    String schemaVersion,
    List<String> applied,
    long durationMs,
    InfoReport info) {
  public MigrationResult {
    applied = List.copyOf(applied);
  }
}
