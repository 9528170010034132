package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;

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
      assertThat(sessions)
          .as("connections of the run while the index is built")
          .noneMatch(x -> x.startsWith("idle in transaction"))
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
}
