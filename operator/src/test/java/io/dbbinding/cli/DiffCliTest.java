package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbbinding diff} against a real PostgreSQL: in sync after migrate, then drifted by hand,
 * with a pending migration that is not counted as drift.
 */
@Tag("integration")
class DiffCliTest {
  @TempDir Path dir;
  private final InProcessCli cli = new InProcessCli();

  private static void psql(DatabaseUrl db, String sql) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void inSyncAfterMigrateThenDriftedByHand() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("migrations"));
    Files.writeString(
        migrations.resolve("V1__orders.sql"),
        "CREATE TABLE orders (id int PRIMARY KEY, note text);\n"
            + "CREATE INDEX orders_note ON orders (note);");
    DatabaseUrl db = TestDatabases.newDatabase();
    assertThat(cli.run(dir, db, "migrate", "--location", "migrations")).as(cli.err()).isZero();
    // A migration not applied yet is pending, not drift.
    Files.writeString(migrations.resolve("V2__later.sql"), "CREATE TABLE later (id int);");

    assertThat(cli.run(dir, db, "diff", "--location", "migrations", "--output", "json"))
        .as(cli.err())
        .isZero();
    JsonNode sync = new ObjectMapper().readTree(cli.out());
    assertThat(sync.get("schema").asText()).isEqualTo("public");
    assertThat(sync.get("schemaVersion").asText()).isEqualTo("1");
    assertThat(sync.get("inSync").asBoolean()).isTrue();
    assertThat(sync.get("added")).isEmpty();

    psql(db, "ALTER TABLE orders DROP COLUMN note; CREATE TABLE scratch (x int);");
    assertThat(cli.run(dir, db, "diff", "--location", "migrations", "--output", "json"))
        .isEqualTo(ExitCode.DRIFTED);
    JsonNode drifted = new ObjectMapper().readTree(cli.out());
    assertThat(drifted.get("inSync").asBoolean()).isFalse();
    assertThat(drifted.get("removed").toString())
        .isEqualTo("[\"column public.orders.note\",\"index public.orders_note\"]");
    assertThat(drifted.get("added").toString())
        .isEqualTo("[\"column public.scratch.x\",\"table public.scratch\"]");
    assertThat(drifted.get("changed")).isEmpty();

    assertThat(cli.run(dir, db, "diff", "--location", "migrations")).isEqualTo(ExitCode.DRIFTED);
    assertThat(cli.out())
        .contains("Schema public differs from what the migrations up to version 1 produce:")
        .contains("  removed  column public.orders.note");
  }

  @Test
  void withoutALocationItSaysWhatItNeeds() {
    DatabaseUrl db = TestDatabases.newDatabase();
    assertThat(cli.run(dir, db, "diff")).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("diff needs --location");
  }
}
