package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.migrate.MigrationError.Reason;
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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The engine against a real PostgreSQL: rows in the history table and tables in the schema. */
@Tag("integration")
class MigratorTest {
  private static final Map<String, String> FILES = files();

  private static Map<String, String> files() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("V1__create_a.sql", "CREATE TABLE a (id int PRIMARY KEY);");
    f.put("V2__create_b.sql", "CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id));");
    f.put("V3__index_b.sql", "CREATE INDEX b_a_idx ON b (a_id);");
    f.put(
        "R__view.sql", "CREATE OR REPLACE VIEW ab AS SELECT a.id FROM a JOIN b ON b.a_id = a.id;");
    return f;
  }

  private static Migrator migrator(DatabaseUrl db, MigrationOptions options) {
    return new Migrator(DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO), options);
  }

  private static Migrator migrator(DatabaseUrl db) {
    return migrator(db, MigrationOptions.defaults());
  }

  static List<String> query(DatabaseUrl db, String sql) throws SQLException {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  @Test
  void aFreshDatabaseGetsEverythingInOrderAndASecondRunAppliesNothing() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    MigrationResult first = migrator(db).migrate(MigrationSource.inMemory("t", FILES));
    assertThat(first.initialVersion()).isNull();
    assertThat(first.schemaVersion()).isEqualTo("3");
    assertThat(first.applied())
        .containsExactly("V1__create_a.sql", "V2__create_b.sql", "V3__index_b.sql", "R__view.sql");
    assertThat(query(db, "SELECT script FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactly("V1__create_a.sql", "V2__create_b.sql", "V3__index_b.sql", "R__view.sql");

    InfoReport info = migrator(db).info(MigrationSource.inMemory("t", FILES));
    assertThat(info.schemaVersion()).isEqualTo("3");
    assertThat(info.applied()).isEqualTo(4);
    assertThat(info.pending()).isZero();
    assertThat(info.lastApplied()).isNotNull();
    assertThat(info.migrations()).extracting(MigrationInfoRow::state).containsOnly("Success");

    MigrationResult second = migrator(db).migrate(MigrationSource.inMemory("t", FILES));
    assertThat(second.applied()).isEmpty();
    assertThat(second.initialVersion()).isEqualTo("3");
    assertThat(query(db, "SELECT count(*) FROM flyway_schema_history")).containsExactly("4");

    InfoReport historyOnly = migrator(db).info(MigrationSource.none());
    assertThat(historyOnly.applied()).isEqualTo(4);
    assertThat(historyOnly.migrations())
        .extracting(MigrationInfoRow::state)
        .containsOnly("Success");
  }

  @Test
  void twoMigratorsTogetherApplyEachMigrationOnce() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<MigrationResult>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        runs.add(
            two.submit(
                () -> {
                  Migrator m = migrator(db);
                  together.await(10, TimeUnit.SECONDS);
                  return m.migrate(MigrationSource.inMemory("t", FILES));
                }));
      }
      int applied = 0;
      for (Future<MigrationResult> r : runs) {
        MigrationResult result = r.get(60, TimeUnit.SECONDS);
        assertThat(result.schemaVersion()).isEqualTo("3");
        applied += result.applied().size();
      }
      assertThat(applied).isEqualTo(4);
    } finally {
      two.shutdownNow();
    }
    assertThat(
            query(
                db,
                "SELECT count(*) FROM flyway_schema_history GROUP BY script HAVING count(*) > 1"))
        .isEmpty();
    assertThat(query(db, "SELECT count(*) FROM flyway_schema_history")).containsExactly("4");
  }

  @Test
  void aMigrationFailingInItsMiddleLeavesNothingAndTheFixedFileApplies() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Map<String, String> broken = new LinkedHashMap<>();
    broken.put("V1__create_a.sql", "CREATE TABLE a (id int PRIMARY KEY);");
    broken.put("V2__half.sql", "CREATE TABLE half (id int);\nINSERT INTO nowhere VALUES (1);\n");
    assertThatThrownBy(() -> migrator(db).migrate(MigrationSource.inMemory("t", broken)))
        .isInstanceOf(MigrationError.class)
        .satisfies(
            e -> assertThat(((MigrationError) e).reason()).isEqualTo(Reason.MIGRATION_FAILED))
        .hasMessageContaining("V2__half.sql failed")
        .hasMessageContaining("relation \"nowhere\" does not exist")
        .hasMessageContaining("SQLSTATE 42P01")
        .hasMessageContaining("position")
        .hasMessageContaining("rolled back");
    assertThat(query(db, "SELECT to_regclass('public.half')::text")).containsExactly((String) null);
    assertThat(query(db, "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL"))
        .containsExactly("1");

    broken.put("V2__half.sql", "CREATE TABLE half (id int);\n");
    MigrationResult fixed = migrator(db).migrate(MigrationSource.inMemory("t", broken));
    assertThat(fixed.applied()).containsExactly("V2__half.sql");
  }

  @Test
  void anEditedAppliedMigrationIsAChecksumMismatchAndNothingChanges() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    migrator(db).migrate(MigrationSource.inMemory("t", FILES));
    Map<String, String> edited = new LinkedHashMap<>(FILES);
    edited.put("V1__create_a.sql", "CREATE TABLE a (id bigint PRIMARY KEY);");
    edited.put("V4__more.sql", "CREATE TABLE c (id int);");

    ValidationReport report = migrator(db).validate(MigrationSource.inMemory("t", edited));
    assertThat(report.valid()).isFalse();
    assertThat(report.pending()).isEqualTo(1);
    assertThat(report.problems()).hasSize(1);
    assertThat(report.problems().get(0).reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
    assertThat(report.problems().get(0).message())
        .startsWith("V1__create_a.sql was changed after it was applied");

    assertThatThrownBy(() -> migrator(db).migrate(MigrationSource.inMemory("t", edited)))
        .isInstanceOf(MigrationError.class)
        .satisfies(
            e -> assertThat(((MigrationError) e).reason()).isEqualTo(Reason.CHECKSUM_MISMATCH))
        .hasMessageContaining("V1__create_a.sql");
    assertThat(query(db, "SELECT count(*) FROM flyway_schema_history")).containsExactly("4");
    assertThat(query(db, "SELECT to_regclass('public.c')::text")).containsExactly((String) null);
  }

  @Test
  void aMissingAppliedMigrationIsReported() {
    DatabaseUrl db = TestDatabases.newDatabase();
    migrator(db).migrate(MigrationSource.inMemory("t", FILES));
    Map<String, String> fewer = new LinkedHashMap<>(FILES);
    fewer.remove("V2__create_b.sql");
    ValidationReport report = migrator(db).validate(MigrationSource.inMemory("t", fewer));
    assertThat(report.valid()).isFalse();
    assertThat(report.problems())
        .extracting(ValidationReport.Problem::reason)
        .contains(Reason.MISSING_MIGRATION);
  }

  @Test
  void targetBaselineAndANonDefaultSchemaAndTable() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    MigrationResult upTo2 =
        migrator(db, new MigrationOptions("public", "flyway_schema_history", "2", false))
            .migrate(
                MigrationSource.inMemory(
                    "t",
                    Map.of(
                        "V1__a.sql",
                        "CREATE TABLE a (id int);",
                        "V2__b.sql",
                        "CREATE TABLE b (id int);",
                        "V3__c.sql",
                        "CREATE TABLE c (id int);")));
    assertThat(upTo2.schemaVersion()).isEqualTo("2");
    assertThat(upTo2.info().pending()).isEqualTo(1);

    DatabaseUrl existing = TestDatabases.newDatabase();
    try (Connection c = PostgresServer.connect(existing);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE legacy (id int)");
    }
    Map<String, String> files =
        Map.of(
            "V1__legacy.sql",
            "CREATE TABLE legacy (id int);",
            "V2__next.sql",
            "CREATE TABLE next (id int);");
    assertThatThrownBy(() -> migrator(existing).migrate(MigrationSource.inMemory("t", files)))
        .isInstanceOf(MigrationError.class)
        .hasMessageContaining("non-empty schema");
    MigrationResult baselined =
        migrator(existing, new MigrationOptions("public", "flyway_schema_history", "latest", true))
            .migrate(MigrationSource.inMemory("t", files));
    assertThat(baselined.applied()).containsExactly("V2__next.sql");
    assertThat(query(existing, "SELECT type FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactly("BASELINE", "SQL");

    DatabaseUrl custom = TestDatabases.newDatabase();
    migrator(custom, new MigrationOptions("app", "schema_history", "latest", false))
        .migrate(MigrationSource.inMemory("t", FILES));
    assertThat(
            query(
                custom,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'app' ORDER BY 1"))
        .contains("a", "b", "schema_history");
    assertThat(query(custom, "SELECT to_regclass('public.flyway_schema_history')::text"))
        .containsExactly((String) null);
    assertThat(
            new SchemaHistory("app", "schema_history")
                .currentVersion(PostgresServer.connect(custom)))
        .map(Object::toString)
        .contains("3");
  }
}
