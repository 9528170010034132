package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.lint.LintMode;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.SchemaHistory;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options {@code migrate}, {@code info} and {@code validate} share. */
final class MigrationOptionsMixin {
  /** How a command prints its result. */
  enum Output {
    text,
    json
  }

  @Mixin LocationsMixin locations;

  @Option(
      names = "--schema",
      defaultValue = SchemaHistory.DEFAULT_SCHEMA,
      description = "Schema to migrate; holds the history table (default: ${DEFAULT-VALUE}).")
  String schema;

  @Option(
      names = "--table",
      defaultValue = SchemaHistory.DEFAULT_TABLE,
      description = "History table (default: ${DEFAULT-VALUE}).")
  String table;

  @Option(
      names = "--target",
      defaultValue = MigrationOptions.LATEST,
      description = "Highest version to apply, or latest (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(
      names = "--baseline-on-migrate",
      description =
          "Baseline a schema that has tables but no history table at version 1, instead of"
              + " refusing it.")
  boolean baselineOnMigrate;

  @Option(
      names = "--lint",
      defaultValue = "warn",
      paramLabel = "MODE",
      description =
          "Lint pending migrations first: warn (apply, and print the rules they break), block"
              + " (apply nothing while one breaks a rule), or off (default: ${DEFAULT-VALUE}).")
  String lint;

  @Option(
      names = "--output",
      defaultValue = "text",
      description = "text (a table) or json (stable, see README) (default: ${DEFAULT-VALUE}).")
  Output output;

  MigrationOptions options() {
    return new MigrationOptions(schema, table, target, baselineOnMigrate);
  }

  /** The source named by --location; none when there is no --location. */
  MigrationSource source(Path workingDirectory) {
    return locations.source(workingDirectory);
  }

  LintMode lintMode() {
    try {
      return LintMode.parse(lint);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("--lint " + e.getMessage().replace("lint must", "must"));
    }
  }

  boolean json() {
    return output == Output.json;
  }
}
