package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.testing.FaultProxy;
import io.dbbinding.testing.TestDatabases;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The database goes away in the middle of a migration run: nothing is lost or recorded twice. */
@Tag("integration")
class MigrationFaultTest {
  @Test
  void aConnectionCutMidMigrationFailsCleanlyAndTheNextRunCompletes() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Map<String, String> files = new LinkedHashMap<>();
    files.put("V1__a.sql", "CREATE TABLE a (id int);");
    files.put(
        "V2__slow.sql", "CREATE TABLE b (id int);\nSELECT pg_sleep(3);\nCREATE TABLE c (id int);");
    files.put("V3__d.sql", "CREATE TABLE d (id int);");
    try (FaultProxy proxy = new FaultProxy(db.primaryHost())) {
      Migrator migrator =
          new Migrator(
              DataSources.unpooled(proxy.route(db), Duration.ofSeconds(5), Duration.ZERO),
              MigrationOptions.defaults());
      CompletableFuture<MigrationResult> run =
          CompletableFuture.supplyAsync(
              () -> migrator.migrate(MigrationSource.inMemory("t", files)));
      Thread.sleep(1_500); // V2 is sleeping inside its transaction now
      proxy.cutAndRefuse();
      Throwable failure = null;
      try {
        run.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        failure = e.getCause();
      }
      assertThat(failure).isInstanceOf(MigrationError.class);
      assertThat(MigratorTest.query(db, "SELECT to_regclass('public.b')::text"))
          .containsExactly((String) null);

      proxy.pass();
      MigrationResult again = migrator.migrate(MigrationSource.inMemory("t", files));
      assertThat(again.schemaVersion()).isEqualTo("3");
    }
    assertThat(
            MigratorTest.query(
                db,
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank"))
        .containsExactly("1", "2", "3");
    assertThat(
            MigratorTest.query(db, "SELECT count(*) FROM flyway_schema_history WHERE NOT success"))
        .containsExactly("0");
    assertThat(
            MigratorTest.query(
                db, "SELECT count(*) FROM pg_tables WHERE tablename IN ('a','b','c','d')"))
        .containsExactly("4");
  }
}
