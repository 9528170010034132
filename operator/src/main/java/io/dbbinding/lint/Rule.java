package io.dbbinding.lint;

import java.util.Arrays;
import java.util.Optional;

/**
 * The rules of {@code dbbinding lint}, named as squawk names them (users know those names), each
 * with the lock the statement takes and what to write instead.
 */
public enum Rule {
  REQUIRE_CONCURRENT_INDEX_CREATION(
      "require-concurrent-index-creation",
      "SHARE on the table: INSERT, UPDATE and DELETE wait until the index is built",
      "write CREATE INDEX CONCURRENTLY, alone in a migration file of its own"),
  REQUIRE_CONCURRENT_INDEX_DELETION(
      "require-concurrent-index-deletion",
      "ACCESS EXCLUSIVE on the table: reads and writes wait",
      "write DROP INDEX CONCURRENTLY, alone in a migration file of its own"),
  REQUIRE_CONCURRENT_REINDEX(
      "require-concurrent-reindex",
      "ACCESS EXCLUSIVE on the index, SHARE on the table: writes, and reads using the index, wait",
      "write REINDEX ... CONCURRENTLY, alone in a migration file of its own"),
  ADDING_REQUIRED_FIELD(
      "adding-required-field",
      "ACCESS EXCLUSIVE; fails outright on a table that has rows",
      "add the column nullable (or with a constant DEFAULT), backfill it in batches, then add"
          + " the NOT NULL in a later migration"),
  ADDING_NOT_NULLABLE_FIELD(
      "adding-not-nullable-field",
      "ACCESS EXCLUSIVE while every row is checked: reads and writes wait",
      "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later"
          + " migration, then SET NOT NULL (PostgreSQL 12+ uses the constraint and skips the"
          + " scan) and drop the CHECK"),
  ADDING_FIELD_WITH_DEFAULT(
      "adding-field-with-default",
      "ACCESS EXCLUSIVE while the whole table is rewritten: reads and writes wait",
      "add the column without the DEFAULT, then ALTER COLUMN ... SET DEFAULT (new rows only) and"
          + " backfill existing rows in batches"),
  CHANGING_COLUMN_TYPE(
      "changing-column-type",
      "ACCESS EXCLUSIVE while the table is rewritten and its indexes rebuilt",
      "expand and contract: add a column of the new type, write both, backfill, switch reads,"
          + " then drop the old column in a later release"),
  CONSTRAINT_MISSING_NOT_VALID(
      "constraint-missing-not-valid",
      "ACCESS EXCLUSIVE while every row is checked: reads and writes wait",
      "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later migration (it takes"
          + " only SHARE UPDATE EXCLUSIVE)"),
  ADDING_FOREIGN_KEY_CONSTRAINT(
      "adding-foreign-key-constraint",
      "SHARE ROW EXCLUSIVE on both tables while every row is checked: writes to both wait",
      "ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID, then VALIDATE CONSTRAINT in a later"
          + " migration"),
  DISALLOWED_UNIQUE_CONSTRAINT(
      "disallowed-unique-constraint",
      "ACCESS EXCLUSIVE while the unique index is built: reads and writes wait",
      "CREATE UNIQUE INDEX CONCURRENTLY in its own migration, then ADD CONSTRAINT ... UNIQUE"
          + " USING INDEX"),
  ADDING_SERIAL_PRIMARY_KEY_FIELD(
      "adding-serial-primary-key-field",
      "ACCESS EXCLUSIVE while the primary key index is built (and the table rewritten for a"
          + " serial)",
      "CREATE UNIQUE INDEX CONCURRENTLY in its own migration, then ADD CONSTRAINT ... PRIMARY"
          + " KEY USING INDEX"),
  BAN_DROP_COLUMN(
      "ban-drop-column",
      "ACCESS EXCLUSIVE (brief); the running application may still read the column",
      "expand and contract: release code that no longer uses the column first, drop it in a"
          + " later release"),
  BAN_DROP_TABLE(
      "ban-drop-table",
      "ACCESS EXCLUSIVE (brief); the running application may still use the table",
      "expand and contract: release code that no longer uses the table first, drop it in a later"
          + " release"),
  RENAMING_COLUMN(
      "renaming-column",
      "ACCESS EXCLUSIVE (brief); the running application still uses the old name",
      "expand and contract: add the new column, write both, backfill, switch reads, drop the old"
          + " one in a later release"),
  RENAMING_TABLE(
      "renaming-table",
      "ACCESS EXCLUSIVE (brief); the running application still uses the old name",
      "expand and contract: create the new table (or a view under the new name), switch the"
          + " code, drop the old name in a later release"),
  BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION(
      "ban-concurrent-index-creation-in-transaction",
      "none: PostgreSQL refuses it inside a transaction, so the migration fails",
      "put the CREATE INDEX CONCURRENTLY alone in a migration file of its own, without"
          + " BEGIN/COMMIT"),
  UNPARSED(
      "unparsed",
      "unknown",
      "check the statement's syntax; if PostgreSQL accepts it, waive it with -- dbbinding:allow"
          + " unparsed and review it by hand");

  private final String ruleName;
  private final String lock;
  private final String instead;

  Rule(String ruleName, String lock, String instead) {
    this.ruleName = ruleName;
    this.lock = lock;
    this.instead = instead;
  }

  /** squawk's name, as in output and waivers. */
  public String ruleName() {
    return ruleName;
  }

  /** The lock the statement takes and what waits on it. */
  public String lock() {
    return lock;
  }

  /** The safe alternative. */
  public String instead() {
    return instead;
  }

  public static Optional<Rule> named(String name) {
    return Arrays.stream(values()).filter(r -> r.ruleName.equalsIgnoreCase(name)).findFirst();
  }
}
