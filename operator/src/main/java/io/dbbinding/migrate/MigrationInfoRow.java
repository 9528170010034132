package io.dbbinding.migrate;

import java.time.Instant;

/**
 * One line of {@code info}: a migration applied, pending or failed.
 *
 * @param version null for a repeatable migration
 * @param state Flyway's state: Success, Pending, Failed, Missing, Outdated, Baseline, ...
 * @param installedOn null when not applied
 * @param checksum null when Flyway computes none (baseline)
 * @param executionTimeMs null when not applied
 */
public record MigrationInfoRow(
    String version,
    String description,
    String type,
    String script,
    Integer checksum,
    String state,
    Instant installedOn,
    Integer executionTimeMs) {}
