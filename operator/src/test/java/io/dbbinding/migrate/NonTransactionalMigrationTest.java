package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Migrations PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY and its kin),
 * against a real PostgreSQL: they finish, and no connection of the run holds a transaction open
 * that they would wait for.
 */
@Tag("integration")
class NonTransactionalMigrationTest {
  /** Generous: the builds here take milliseconds; only a hang comes near it. */
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private static Migrator migrator(DatabaseUrl db) {
    return new Migrator(
        DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO),
        MigrationOptions.defaults());
  }

  private static Map<String, String> files(String... nameThenSql) {
    Map<String, String> f = new LinkedHashMap<>();
    for (int i = 0; i < nameThenSql.length; i += 2) {
      f.put(nameThenSql[i], nameThenSql[i + 1]);
    }
    return f;
  }

  /** Sessions of the run (they call themselves dbbinding) and what each is doing. */
  static List<String> runSessions(DatabaseUrl db) throws SQLException {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT state, coalesce(wait_event_type, '-'), left(query, 60)"
                    + " FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND application_name = 'dbbinding' AND pid <> pg_backend_pid()")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3));
      }
      return out;
    }
  }

  static List<String> query(DatabaseUrl db, String sql) throws SQLException {
    return MigratorTest.query(db, sql);
  }

  @Test
  void aConcurrentIndexBuildFinishesAndNoConnectionOfTheRunWaitsInATransaction() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Map<String, String> files =
        files(
            "V1__t.sql", "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000);",
            "V2__t_idx.sql", "CREATE INDEX CONCURRENTLY t_idx ON t (id);");
    // Someone else's open snapshot: the build must wait for it (that is PostgreSQL), and while it
    // waits the run's own connections show whether any of them holds a transaction open too.
    ExecutorService run = Executors.newSingleThreadExecutor();
    try (Connection other = PostgresServer.connect(db);
        Statement s = other.createStatement()) {
      migrator(db)
          .migrate(MigrationSource.inMemory("t", files("V1__t.sql", files.get("V1__t.sql"))));
      other.setAutoCommit(false);
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      s.executeQuery("SELECT count(*) FROM pg_class").close();

      Future<MigrationResult> result =
          run.submit(() -> migrator(db).migrate(MigrationSource.inMemory("t", files)));
      List<String> sessions =
          Eventually.get(
              "the index build to wait for the other snapshot",
              LIMIT,
              () -> {
                try {
                  List<String> now = runSessions(db);
                  return now.stream().anyMatch(x -> x.contains("CREATE INDEX CONCURRENTLY"))
                      ? now
                      : null;
                } catch (SQLException e) {
                  throw new IllegalStateException(e);
                }
              });
      // The run may also have its blocker watcher's connection open: autocommit, so "idle"
      // between its looks, never holding a snapshot the build would wait for.
      assertThat(sessions)
          .as("connections of the run while the index is built")
          .noneMatch(x -> x.startsWith("idle in transaction"))
          .allMatch(x -> x.startsWith("idle |") || x.contains("CREATE INDEX CONCURRENTLY"))
          .filteredOn(x -> x.contains("CREATE INDEX CONCURRENTLY"))
          .hasSize(1);
      other.commit();

      MigrationResult done = result.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(done.applied()).containsExactly("V2__t_idx.sql");
      assertThat(done.schemaVersion()).isEqualTo("2");
    } finally {
      run.shutdownNow();
    }
    assertThat(
            query(db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_idx'::regclass"))
        .containsExactly("true");
    assertThat(
            query(db, "SELECT count(*) FROM flyway_schema_history WHERE version = '2' AND success"))
        .containsExactly("1");
  }

  @Test
  void concurrentStatementsFlywayDoesNotRecogniseAreAppliedOutsideATransaction() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Map<String, String> files =
        files(
            "V1__t.sql", "CREATE TABLE t (id int); CREATE INDEX t_idx ON t (id);",
            "V2__reindex.sql",
                "-- rebuild without blocking writes\nREINDEX (VERBOSE) INDEX CONCURRENTLY t_idx;",
            "V3__reindex_table.sql", "REINDEX TABLE CONCURRENTLY t;",
            "V4__drop.sql", "DROP INDEX CONCURRENTLY IF EXISTS t_idx;");
    MigrationResult r = migrator(db).migrate(MigrationSource.inMemory("t", files));
    assertThat(r.applied())
        .containsExactly("V1__t.sql", "V2__reindex.sql", "V3__reindex_table.sql", "V4__drop.sql");
    assertThat(query(db, "SELECT count(*) FROM pg_indexes WHERE tablename = 't'"))
        .containsExactly("0");
  }

  @Test
  void aFileMixingConcurrentAndOrdinaryStatementsIsRefusedBeforeAnythingIsApplied()
      throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Map<String, String> files =
        files(
            "V1__t.sql", "CREATE TABLE t (id int);",
            "V2__mixed.sql",
                "ALTER TABLE t ADD COLUMN c int;\nCREATE INDEX CONCURRENTLY t_c ON t (c);");
    assertThatThrownBy(() -> migrator(db).migrate(MigrationSource.inMemory("t", files)))
        .isInstanceOfSatisfying(
            MigrationError.class,
            e -> {
              assertThat(e.reason()).isEqualTo(MigrationError.Reason.MIXED_TRANSACTION);
              assertThat(e.getMessage())
                  .contains("V2__mixed.sql")
                  .contains("CREATE INDEX CONCURRENTLY (line 2)")
                  .contains("(line 1)")
                  .contains("split the file");
            });
    assertThat(query(db, "SELECT to_regclass('public.t') IS NULL")).containsExactly("t");
  }

  @Test
  void anInvalidIndexLeftByACancelledBuildIsReportedByNameUntilDropped() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Map<String, String> files =
        files(
            "V1__t.sql", "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 1000);",
            "V2__t_idx.sql", "CREATE INDEX CONCURRENTLY t_idx ON t (id);");
    migrator(db).migrate(MigrationSource.inMemory("t", files("V1__t.sql", files.get("V1__t.sql"))));
    ExecutorService run = Executors.newSingleThreadExecutor();
    try (Connection other = PostgresServer.connect(db);
        Statement s = other.createStatement()) {
      // The build waits for this snapshot with its index already in the catalog, INVALID;
      // cancelled there, it leaves that index behind, as a killed or timed-out build does.
      other.setAutoCommit(false);
      s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      s.executeQuery("SELECT count(*) FROM pg_class").close();
      Future<MigrationResult> result =
          run.submit(() -> migrator(db).migrate(MigrationSource.inMemory("t", files)));
      Eventually.until(
          "the build to wait",
          LIMIT,
          () -> {
            try {
              return runSessions(db).stream().anyMatch(x -> x.contains("CONCURRENTLY"));
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
      try (Connection admin = PostgresServer.connect(db);
          Statement a = admin.createStatement()) {
        a.executeQuery(
                "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                    + " WHERE query LIKE 'CREATE INDEX CONCURRENTLY%' AND pid <> pg_backend_pid()")
            .close();
      }
      assertThatThrownBy(() -> result.get(LIMIT.toSeconds(), TimeUnit.SECONDS))
          .hasCauseInstanceOf(MigrationError.class)
          .hasMessageContaining("canceling statement");
      other.commit();
    } finally {
      run.shutdownNow();
    }
    assertThat(
            query(db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_idx'::regclass"))
        .containsExactly("false");

    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> migrator(db).migrate(MigrationSource.inMemory("t", files)))
          .isInstanceOfSatisfying(
              MigrationError.class,
              e -> {
                assertThat(e.reason()).isEqualTo(MigrationError.Reason.INVALID_INDEX);
                assertThat(e.getMessage())
                    .contains("V2__t_idx.sql")
                    .contains("\"public\".\"t_idx\" is INVALID")
                    .contains("DROP INDEX CONCURRENTLY \"public\".\"t_idx\";");
              });
    }

    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      s.execute("DROP INDEX CONCURRENTLY \"public\".\"t_idx\"");
    }
    MigrationResult r = migrator(db).migrate(MigrationSource.inMemory("t", files));
    assertThat(r.applied()).containsExactly("V2__t_idx.sql");
    assertThat(
            query(db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_idx'::regclass"))
        .containsExactly("true");
    assertThat(
            query(
                db,
                "SELECT version || ':' || success FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactly("1:true", "2:true");
  }

  @Test
  void theStatementTimeoutHoldsInsideAndOutsideATransaction() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Migrator quick =
        new Migrator(
            DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO),
            MigrationOptions.defaults(),
            new MigrationTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500), true));
    Map<String, String> files =
        files(
            "V1__t.sql",
            "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 20);"
                + " CREATE FUNCTION slow(int) RETURNS boolean LANGUAGE sql IMMUTABLE"
                + " AS 'SELECT pg_sleep(0.2) IS NOT NULL';",
            "V2__slow_idx.sql",
            "CREATE INDEX CONCURRENTLY t_slow ON t (id) WHERE slow(id);");
    assertThatThrownBy(() -> quick.migrate(MigrationSource.inMemory("t", files)))
        .isInstanceOfSatisfying(
            MigrationError.class,
            e ->
                assertThat(e.getMessage())
                    .contains("V2__slow_idx.sql failed")
                    .contains("statement timeout")
                    .contains("57014"));
    Migrator inTransaction =
        new Migrator(
            DataSources.unpooled(
                TestDatabases.newDatabase(), Duration.ofSeconds(10), Duration.ZERO),
            MigrationOptions.defaults(),
            new MigrationTimeouts(Duration.ofSeconds(5), Duration.ofMillis(500), true));
    assertThatThrownBy(
            () ->
                inTransaction.migrate(
                    MigrationSource.inMemory("t", files("V1__sleep.sql", "SELECT pg_sleep(3);"))))
        .hasMessageContaining("V1__sleep.sql failed")
        .hasMessageContaining("57014");
  }
}
