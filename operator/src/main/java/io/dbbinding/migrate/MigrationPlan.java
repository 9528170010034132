package io.dbbinding.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.sqlscript.SqlStatement;
import org.flywaydb.core.internal.sqlscript.SqlStatementIterator;
import org.flywaydb.database.postgresql.PostgreSQLParser;

/**
 * How one migration file is applied: inside a transaction (the default, so that a failure leaves
 * nothing behind), outside one (every statement is one PostgreSQL refuses in a transaction), or not
 * at all (it mixes both, and no way of running it is safe).
 *
 * @param outside the statements that must run outside a transaction, with what makes them so
 * @param inside the line numbers of the statements that could run in one
 * @param builds the indexes its concurrent index builds create
 */
record MigrationPlan(
    MigrationFile file,
    List<Outside> outside,
    List<Integer> inside,
    List<TransactionRules.IndexBuild> builds) {

  /** A statement that must run outside a transaction. */
  record Outside(int line, String what) {}

  /** How Flyway should run the file. */
  enum Mode {
    TRANSACTIONAL,
    NON_TRANSACTIONAL,
    MIXED
  }

  Mode mode() {
    if (outside.isEmpty()) {
      return Mode.TRANSACTIONAL;
    }
    return inside.isEmpty() ? Mode.NON_TRANSACTIONAL : Mode.MIXED;
  }

  /**
   * Reads {@code file}'s statements with Flyway's own PostgreSQL parser, as Flyway will split them.
   */
  static MigrationPlan of(MigrationFile file, Configuration flyway, int serverVersionNum) {
    List<Outside> outside = new ArrayList<>();
    List<Integer> inside = new ArrayList<>();
    List<TransactionRules.IndexBuild> builds = new ArrayList<>();
    PostgreSQLParser parser = new PostgreSQLParser(flyway, new ParsingContext());
    try (SqlStatementIterator statements = parser.parse(new MigrationFileResource(file))) {
      while (statements.hasNext()) {
        SqlStatement s = statements.next();
        if (s == null) {
          break;
        }
        Optional<String> why = TransactionRules.outsideTransaction(s.getSql(), serverVersionNum);
        if (why.isPresent()) {
          outside.add(new Outside(s.getLineNumber(), why.get()));
          TransactionRules.indexBuild(s.getSql()).ifPresent(builds::add);
        } else {
          inside.add(s.getLineNumber());
        }
      }
    } catch (FlywayException e) {
      throw new MigrationError(
          MigrationError.Reason.MIGRATION_FAILED,
          file.fileName() + " cannot be parsed: " + MessageText.oneLine(e.getMessage()),
          e);
    }
    return new MigrationPlan(file, List.copyOf(outside), List.copyOf(inside), List.copyOf(builds));
  }

  /**
   * Whether every statement is a CONCURRENTLY one (index builds, drops, reindexes, partition
   * detaches): lock waits that block no one, and that must not be cut short.
   */
  boolean concurrentOnly() {
    return !outside.isEmpty() && outside.stream().allMatch(o -> o.what().contains("CONCURRENTLY"));
  }

  /** Why the file is refused: which statements clash, and what to do. */
  String mixedMessage() {
    Outside first = outside.get(0);
    return file.fileName()
        + " mixes "
        + first.what()
        + " (line "
        + first.line()
        + "), which PostgreSQL runs only outside a transaction, with statements that run inside"
        + " one (line "
        + inside.get(0)
        + "); split the file: one migration holding only the "
        + first.what()
        + " statement(s), applied without a transaction, and one for the rest";
  }
}
