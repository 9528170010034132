package io.dbbinding.migrate;

import java.time.Instant;
import java.util.List;

/**
 * What {@code info} reports: the schema version, counts, and every migration known to the history
 * table or the source.
 *
 * @param schemaVersion the current version; null when nothing is applied
 * @param lastApplied when the last migration was applied; null when none was
 */
public record InfoReport(
    String schemaVersion,
    int applied,
    int pending,
    int failed,
    Instant lastApplied,
    List<MigrationInfoRow> migrations) {
  public InfoReport {
    migrations = List.copyOf(migrations);
  }
}
