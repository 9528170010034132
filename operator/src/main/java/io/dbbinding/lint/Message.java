package io.dbbinding.lint;

/**
 * What the linter says about each finding: one template per situation, beside the rule it reports,
 * and always followed by that rule's safe alternative. Values fill the templates' {@code %s} in
 * order; where one stands against the next word, as in {@code %son}, it takes a constraint's name
 * with a space after it, or nothing for an unnamed constraint.
 */
enum Message {
  UNPARSED(
      Rule.UNPARSED, "the linter could not parse this statement (%s), so it checked nothing in it"),

  // CREATE INDEX, DROP INDEX, REINDEX
  CONCURRENT_INDEX_IN_EXPLICIT_TRANSACTION(
      Rule.BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION,
      "CREATE INDEX CONCURRENTLY on %s inside BEGIN ... COMMIT"),
  CONCURRENT_INDEX_IN_TRANSACTIONAL_FILE(
      Rule.BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION,
      "CREATE INDEX CONCURRENTLY on %s in a migration with other statements, which runs in a"
          + " transaction"),
  INDEX_WITHOUT_CONCURRENTLY(
      Rule.REQUIRE_CONCURRENT_INDEX_CREATION,
      "CREATE INDEX on %s without CONCURRENTLY blocks writes to it until the index is built"),
  DROP_INDEX_WITHOUT_CONCURRENTLY(
      Rule.REQUIRE_CONCURRENT_INDEX_DELETION,
      "DROP INDEX %s without CONCURRENTLY blocks reads and writes on its table"),
  REINDEX_WITHOUT_CONCURRENTLY(
      Rule.REQUIRE_CONCURRENT_REINDEX,
      "REINDEX without CONCURRENTLY blocks writes to the table, and reads that use the index"),

  // DROP TABLE
  DROP_TABLE(
      Rule.BAN_DROP_TABLE, "DROP TABLE %s breaks the running application, which may still use it"),

  // ALTER TABLE: the table and its columns
  RENAME_TABLE(
      Rule.RENAMING_TABLE,
      "renaming %s to %s breaks the running application, which still uses the old name"),
  RENAME_COLUMN(
      Rule.RENAMING_COLUMN,
      "renaming column %s of %s breaks the running application, which still uses the old name"),
  DROP_COLUMN(
      Rule.BAN_DROP_COLUMN,
      "dropping column %s of %s breaks the running application, which may still read it"),
  SET_NOT_NULL(
      Rule.ADDING_NOT_NULLABLE_FIELD,
      "SET NOT NULL on %s.%s checks every row while blocking reads and writes"),
  CHANGE_COLUMN_TYPE(
      Rule.CHANGING_COLUMN_TYPE,
      "changing the type of %s.%s to %s rewrites the table and its indexes while blocking reads"
          + " and writes"),

  // ALTER TABLE ... ADD COLUMN
  VOLATILE_DEFAULT_COLUMN(
      Rule.ADDING_FIELD_WITH_DEFAULT,
      "adding column %s to %s with the volatile DEFAULT %s() rewrites the whole table"),
  STORED_GENERATED_COLUMN(
      Rule.ADDING_FIELD_WITH_DEFAULT,
      "adding the stored generated column %s to %s rewrites the whole table"),
  IDENTITY_COLUMN(
      Rule.ADDING_FIELD_WITH_DEFAULT,
      "adding the identity column %s to %s fills every row and rewrites the whole table"),
  SERIAL_COLUMN(
      Rule.ADDING_FIELD_WITH_DEFAULT,
      "adding the %s column %s to %s fills every row from a sequence and rewrites the whole table"),
  UNIQUE_COLUMN(
      Rule.DISALLOWED_UNIQUE_CONSTRAINT,
      "adding column %s UNIQUE builds the unique index on %s while holding ACCESS EXCLUSIVE"),
  REFERENCES_COLUMN(
      Rule.ADDING_FOREIGN_KEY_CONSTRAINT,
      "adding column %s REFERENCES %s checks every row while blocking writes to both tables"),
  PRIMARY_KEY_COLUMN(
      Rule.ADDING_SERIAL_PRIMARY_KEY_FIELD,
      "adding the primary key column %s to %s builds its index while holding ACCESS EXCLUSIVE"),
  REQUIRED_COLUMN(
      Rule.ADDING_REQUIRED_FIELD,
      "adding column %s NOT NULL without a DEFAULT to %s fails on a table that has rows"),

  // ALTER TABLE ... ADD CONSTRAINT, VALIDATE CONSTRAINT
  CHECK_WITHOUT_NOT_VALID(
      Rule.CONSTRAINT_MISSING_NOT_VALID,
      "adding the CHECK constraint %son %s without NOT VALID checks every row while blocking"
          + " reads and writes"),
  FOREIGN_KEY_WITHOUT_NOT_VALID(
      Rule.ADDING_FOREIGN_KEY_CONSTRAINT,
      "adding the foreign key %1$son %2$s without NOT VALID checks every row while blocking"
          + " writes to %2$s and %3$s"),
  UNIQUE_CONSTRAINT(
      Rule.DISALLOWED_UNIQUE_CONSTRAINT,
      "adding the UNIQUE constraint %son %s builds its index while holding ACCESS EXCLUSIVE"),
  PRIMARY_KEY_CONSTRAINT(
      Rule.ADDING_SERIAL_PRIMARY_KEY_FIELD,
      "adding a primary key to %s builds its index while holding ACCESS EXCLUSIVE"),
  VALIDATE_IN_SAME_MIGRATION(
      Rule.CONSTRAINT_MISSING_NOT_VALID,
      "VALIDATE CONSTRAINT %s in the migration that added it NOT VALID keeps that statement's"
          + " lock on %s for the whole check");

  private final Rule rule;
  private final String template;

  Message(Rule rule, String template) {
    this.rule = rule;
    this.template = template;
  }

  /** The finding, its template filled with the names as written in the statement. */
  Finding with(Object... names) {
    return new Finding(rule, template.formatted(names) + "; instead " + rule.instead());
  }
}
