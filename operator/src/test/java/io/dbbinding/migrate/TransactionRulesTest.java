package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which statements must run outside a transaction, decided from their tokens. */
class TransactionRulesTest {
  private static final int PG16 = 160000;

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          CREATE INDEX CONCURRENTLY t_idx ON t (id)                              | CREATE INDEX CONCURRENTLY
          create unique index concurrently if not exists "T idx" on only s.t (a) | CREATE INDEX CONCURRENTLY
          -- build it online\\nCREATE INDEX CONCURRENTLY ON t (id)                | CREATE INDEX CONCURRENTLY
          DROP INDEX CONCURRENTLY IF EXISTS t_idx                                | DROP INDEX CONCURRENTLY
          REINDEX INDEX CONCURRENTLY t_idx                                       | REINDEX ... CONCURRENTLY
          REINDEX (VERBOSE) TABLE CONCURRENTLY t                                 | REINDEX ... CONCURRENTLY
          REINDEX SCHEMA app                                                     | REINDEX SCHEMA
          ALTER TABLE p DETACH PARTITION p2024 CONCURRENTLY                      | ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY
          ALTER TABLE p DETACH PARTITION s.p2024 CONCURRENTLY                    | ALTER TABLE ... DETACH PARTITION ... CONCURRENTLY
          VACUUM (ANALYZE) t                                                     | VACUUM
          CREATE DATABASE other                                                  | CREATE DATABASE
          """)
  void outside(String sql, String what) {
    assertThat(TransactionRules.outsideTransaction(sql.replace("\\n", "\n"), PG16)).contains(what);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          CREATE INDEX t_idx ON t (id)
          CREATE INDEX /* not CONCURRENTLY */ t_idx ON t (id)
          CREATE INDEX "concurrently" ON t (id)
          REINDEX INDEX t_idx
          ALTER TABLE p DETACH PARTITION p2024
          ALTER TYPE mood ADD VALUE 'meh'
          SELECT 'CREATE INDEX CONCURRENTLY x ON t (id)'
          CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ VACUUM $$
          """)
  void inside(String sql) {
    assertThat(TransactionRules.outsideTransaction(sql, PG16)).isEmpty();
  }

  @Test
  void addingAnEnumValueNeedsNoTransactionOnlyBeforePostgres12() {
    assertThat(TransactionRules.outsideTransaction("ALTER TYPE mood ADD VALUE 'meh'", 110000))
        .contains("ALTER TYPE ... ADD VALUE (before PostgreSQL 12)");
    assertThat(TransactionRules.outsideTransaction("ALTER TYPE mood ADD VALUE 'meh'", 120000))
        .isEmpty();
  }

  @Test
  void aConcurrentBuildNamesItsIndexAndTable() {
    assertThat(
            TransactionRules.indexBuild(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"Orders Idx\" ON ONLY shop.Orders"
                    + " (id)"))
        .contains(
            new TransactionRules.IndexBuild(
                Optional.empty(), Optional.of("Orders Idx"), Optional.of("shop"), "orders"));
    assertThat(TransactionRules.indexBuild("CREATE INDEX CONCURRENTLY ON t (id)"))
        .contains(
            new TransactionRules.IndexBuild(
                Optional.empty(), Optional.empty(), Optional.empty(), "t"));
  }

  @Test
  void aBlockersQueryNeverShowsAPassword() {
    assertThat(Blocker.masked("ALTER ROLE app PASSWORD 'hunter2'"))
        .isEqualTo("ALTER ROLE app PASSWORD '****'");
    assertThat(Blocker.masked("SELECT dblink_connect('postgresql://app:hunter2@db/x')"))
        .doesNotContain("hunter2");
    assertThat(Blocker.masked("SELECT count(*) FROM orders WHERE note = 'x'"))
        .isEqualTo("SELECT count(*) FROM orders WHERE note = 'x'");
  }
}
