package io.dbbinding.migrate;

import io.dbbinding.migrate.SqlTokens.Kind;
import io.dbbinding.migrate.SqlTokens.Token;
import java.util.List;
import java.util.Optional;

/**
 * Which statements PostgreSQL refuses inside a transaction block. Flyway's parser knows some
 * (CREATE/DROP INDEX CONCURRENTLY, REINDEX SCHEMA, VACUUM, ...) from regular expressions over the
 * first keywords; it misses {@code REINDEX INDEX|TABLE ... CONCURRENTLY}, {@code REINDEX (VERBOSE)
 * ...}, {@code ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY}, and decides {@code ALTER TYPE
 * ... ADD VALUE} by guessing the server version when it cannot read it. These rules decide instead,
 * for every statement, from its tokens and the server's version.
 */
final class TransactionRules {
  /** PostgreSQL 12 lets ALTER TYPE ... ADD VALUE run inside a transaction. */
  static final int ADD_VALUE_IN_TRANSACTION_SINCE = 120000;

  private TransactionRules() {}

  /**
   * What makes {@code sql} impossible inside a transaction, such as {@code CREATE INDEX
   * CONCURRENTLY}; empty when it can run in one.
   */
  static Optional<String> outsideTransaction(String sql, int serverVersionNum) {
    List<Token> t = SqlTokens.of(sql);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    if (at(t, 0, "create", "unique", "index", "concurrently")
        || at(t, 0, "create", "index", "concurrently")) {
      return Optional.of("CREATE INDEX CONCURRENTLY");
    }
    if (at(t, 0, "drop", "index", "concurrently")) {
      return Optional.of("DROP INDEX CONCURRENTLY");
    }
    if (t.get(0).is("reindex")) {
      for (Token x : t) {
        if (x.depth() == 0 && x.is("concurrently")) {
          return Optional.of("REINDEX ... CONCURRENTLY");
        }
        if (x.depth() == 0 && (x.is("schema") || x.is("database") || x.is("system"))) {
          return Optional.of("REINDEX " + x.text().toUpperCase(java.util.Locale.ROOT));
        }
      }
      return Optional.empty();
    }
    if (at(t, 0, "alter", "table")) {
      for (int i = 0; i + 3 < t.size(); i++) {
        if (t.get(i).depth() == 0
            && at(t, i, "detach", "partition")
            && concurrentlyAfterName(t, i + 2)) {
          return Optional.of("ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY");
        }
      }
      return Optional.empty();
    }
    if (at(t, 0, "alter", "type") && serverVersionNum < ADD_VALUE_IN_TRANSACTION_SINCE) {
      for (int i = 2; i + 1 < t.size(); i++) {
        if (at(t, i, "add", "value")) {
          return Optional.of("ALTER TYPE ... ADD VALUE (before PostgreSQL 12)");
        }
      }
      return Optional.empty();
    }
    if (t.get(0).is("vacuum")) {
      return Optional.of("VACUUM");
    }
    if ((at(t, 0, "create") || at(t, 0, "drop"))
        && t.size() > 1
        && (t.get(1).is("database") || t.get(1).is("tablespace") || t.get(1).is("subscription"))) {
      return Optional.of(
          (t.get(0).text() + " " + t.get(1).text()).toUpperCase(java.util.Locale.ROOT));
    }
    if (at(t, 0, "alter", "system")) {
      return Optional.of("ALTER SYSTEM");
    }
    if (at(t, 0, "discard", "all")) {
      return Optional.of("DISCARD ALL");
    }
    return Optional.empty();
  }

  /** The index a {@code CREATE INDEX CONCURRENTLY} builds: its name (if given) and table. */
  record IndexBuild(
      Optional<String> schema, Optional<String> name, Optional<String> tableSchema, String table) {}

  /** For a {@code CREATE [UNIQUE] INDEX CONCURRENTLY} statement, what it builds. */
  static Optional<IndexBuild> indexBuild(String sql) {
    List<Token> t = SqlTokens.of(sql);
    int i;
    if (at(t, 0, "create", "unique", "index", "concurrently")) {
      i = 4;
    } else if (at(t, 0, "create", "index", "concurrently")) {
      i = 3;
    } else {
      return Optional.empty();
    }
    if (at(t, i, "if", "not", "exists")) {
      i += 3;
    }
    Optional<String> schema = Optional.empty();
    Optional<String> name = Optional.empty();
    if (i < t.size() && !t.get(i).is("on") && t.get(i).isIdentifier()) {
      // PostgreSQL allows no schema on the index name; it goes with its table. Tolerate one.
      if (i + 2 < t.size() && t.get(i + 1).text().equals(".") && t.get(i + 2).isIdentifier()) {
        schema = Optional.of(t.get(i).text());
        name = Optional.of(t.get(i + 2).text());
        i += 3;
      } else {
        name = Optional.of(t.get(i).text());
        i++;
      }
    }
    if (!at(t, i, "on")) {
      return Optional.empty();
    }
    i++;
    if (at(t, i, "only")) {
      i++;
    }
    if (i >= t.size() || !t.get(i).isIdentifier()) {
      return Optional.empty();
    }
    if (i + 2 < t.size() && t.get(i + 1).text().equals(".") && t.get(i + 2).isIdentifier()) {
      return Optional.of(
          new IndexBuild(schema, name, Optional.of(t.get(i).text()), t.get(i + 2).text()));
    }
    return Optional.of(new IndexBuild(schema, name, Optional.empty(), t.get(i).text()));
  }

  private static boolean concurrentlyAfterName(List<Token> t, int i) {
    // DETACH PARTITION name | schema.name, then CONCURRENTLY
    int j = i;
    if (j < t.size() && t.get(j).isIdentifier()) {
      j++;
      if (j + 1 < t.size() && t.get(j).text().equals(".") && t.get(j + 1).isIdentifier()) {
        j += 2;
      }
      return j < t.size() && t.get(j).is("concurrently");
    }
    return false;
  }

  private static boolean at(List<Token> t, int from, String... words) {
    if (from + words.length > t.size()) {
      return false;
    }
    for (int k = 0; k < words.length; k++) {
      Token x = t.get(from + k);
      if (x.kind() != Kind.WORD || !x.text().equals(words[k])) {
        return false;
      }
    }
    return true;
  }
}
