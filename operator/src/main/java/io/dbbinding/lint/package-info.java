/**
 * The migration linter ({@code MigrationLinter}): the rules for statements that lock or rewrite a
 * table, the statement parser they read, and the report.
 *
 * <p>May use: config, migrate.
 */
package io.dbbinding.lint;
