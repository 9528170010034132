package io.dbbinding.lint;

import java.util.HashSet;
import java.util.Set;

/**
 * What the checks remember while reading one migration, statement by statement: what it created
 * itself (no one else can be using those yet, so statements on them are exempt), the constraints it
 * added NOT VALID, and whether it is inside a transaction.
 */
final class FileState {
  private final boolean transactional;
  private final Set<String> createdTables = new HashSet<>();
  private final Set<String> createdIndexes = new HashSet<>();
  private final Set<String> notValidConstraints = new HashSet<>();
  private boolean inExplicitTransaction;

  /**
   * @param transactional whether the migration runs in a transaction: Flyway runs a file in one
   *     unless every statement in it is one PostgreSQL refuses inside a transaction
   */
  FileState(boolean transactional) {
    this.transactional = transactional;
  }

  boolean transactional() {
    return transactional;
  }

  boolean inExplicitTransaction() {
    return inExplicitTransaction;
  }

  /** After BEGIN or START TRANSACTION (true), COMMIT, END or ROLLBACK (false). */
  void explicitTransaction(boolean open) {
    inExplicitTransaction = open;
  }

  /** Records a table created (or renamed to) in this migration, as PostgreSQL reads its name. */
  void createdTable(String name) {
    createdTables.add(name);
  }

  boolean createdHere(String table) {
    return createdTables.contains(table);
  }

  void createdIndex(String name) {
    createdIndexes.add(name);
  }

  boolean indexCreatedHere(String index) {
    return createdIndexes.contains(index);
  }

  void addedNotValid(String constraint) {
    notValidConstraints.add(constraint);
  }

  boolean addedNotValidHere(String constraint) {
    return notValidConstraints.contains(constraint);
  }
}
