package io.dbbinding.migrate;

import io.dbbinding.migrate.MigrationError.Reason;

/**
 * How migrations are applied.
 *
 * @param schema the schema migrated, and where the history table lives (created if missing)
 * @param table the history table
 * @param target {@code latest} or the highest version to apply
 * @param baselineOnMigrate whether a schema that has tables but no history table is baselined at
 *     version 1 instead of refused
 */
public record MigrationOptions(
    String schema, String table, String target, boolean baselineOnMigrate) {
  public static final String LATEST = "latest";

  public MigrationOptions {
    if (schema == null || schema.isBlank()) {
      throw new MigrationError(Reason.INVALID_CONFIGURATION, "the schema must not be empty");
    }
    if (table == null || table.isBlank()) {
      throw new MigrationError(Reason.INVALID_CONFIGURATION, "the table must not be empty");
    }
    if (!LATEST.equals(target)) {
      try {
        SchemaVersion.parse(target);
      } catch (IllegalArgumentException e) {
        throw new MigrationError(
            Reason.INVALID_CONFIGURATION,
            "target must be latest or a version such as 3 or 1.2, got '" + target + "'");
      }
    }
  }

  public static MigrationOptions defaults() {
    return new MigrationOptions(
        SchemaHistory.DEFAULT_SCHEMA, SchemaHistory.DEFAULT_TABLE, LATEST, false);
  }
}
