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
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbbinding migrate} and {@code info} with a contract step ({@code -- dbbinding:contract})
 * against a real PostgreSQL: held without {@code --contract}, applied with it.
 */
@Tag("integration")
class ContractMigrateCliTest {
  @TempDir Path dir;
  private final InProcessCli cli = new InProcessCli();

  private Path rename() throws Exception {
    Path m = Files.createDirectories(dir.resolve("migrations"));
    Files.writeString(m.resolve("V1__people.sql"), "CREATE TABLE people (id int, name text);");
    Files.writeString(
        m.resolve("V2__full_name.sql"),
        "ALTER TABLE people ADD COLUMN full_name text; UPDATE people SET full_name = name;");
    Files.writeString(
        m.resolve("V3__drop_name.sql"), "-- dbbinding:contract\nALTER TABLE people DROP name;");
    Files.writeString(m.resolve("V4__email.sql"), "ALTER TABLE people ADD COLUMN email text;");
    return m;
  }

  private static String columns(DatabaseUrl db) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT string_agg(column_name, ',' ORDER BY ordinal_position)"
                    + " FROM information_schema.columns WHERE table_name = 'people'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void withoutContractMigrateAppliesTheExpandPartHoldsTheRestAndExitsZero() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m = rename();

    assertThat(cli.run(dir, db, "migrate", "--location", m.toString())).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains("Applied V1__people.sql")
        .contains("Applied V2__full_name.sql")
        .contains("Migrated from version none to 2: 2 migrations")
        .contains("2 migration(s) remain pending.");
    assertThat(cli.err().lines().filter(l -> l.startsWith("dbbinding: held")))
        .containsExactly(
            "dbbinding: held contract step V3__drop_name.sql (it and what follows stay pending):"
                + " it drops what code older than schema version 2 uses; run migrate --contract"
                + " once no pod runs that code");
    assertThat(columns(db)).isEqualTo("id,name,full_name");
    assertThat(cli.err())
        .as("the contract step drops a column as ban-drop-column asks: after the rollout")
        .doesNotContain("ban-drop-column");

    // Run again, as the next init container does: nothing more, the same one line.
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString())).isZero();
    assertThat(cli.out()).contains("Schema is up to date at version 2.");
    assertThat(cli.err()).contains("dbbinding: held contract step V3__drop_name.sql");
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString(), "--output", "json"))
        .isZero();
    JsonNode migrate = new ObjectMapper().readTree(cli.out());
    assertThat(migrate.get("heldContractStep").asText()).isEqualTo("V3__drop_name.sql");
    assertThat(migrate.get("pending").asInt()).isEqualTo(2);

    assertThat(cli.run(dir, db, "info", "--location", m.toString())).isZero();
    assertThat(cli.out().lines().filter(l -> l.startsWith("3 ")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("SQL contract").contains("Pending"));
    assertThat(cli.out().lines().filter(l -> l.startsWith("4 ")))
        .singleElement()
        .satisfies(l -> assertThat(l).doesNotContain("contract"));

    assertThat(cli.run(dir, db, "info", "--location", m.toString(), "--output", "json")).isZero();
    JsonNode rows = new ObjectMapper().readTree(cli.out()).get("migrations");
    assertThat(rows.get(2).get("script").asText()).isEqualTo("V3__drop_name.sql");
    assertThat(rows.get(2).get("contract").asBoolean()).isTrue();
    assertThat(rows.get(3).get("contract").asBoolean()).isFalse();

    assertThat(cli.run(dir, db, "migrate", "--location", m.toString(), "--contract"))
        .as(cli.err())
        .isZero();
    assertThat(cli.out()).contains("Migrated from version 2 to 4: 2 migrations");
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString(), "--output", "json"))
        .isZero();
    assertThat(new ObjectMapper().readTree(cli.out()).get("heldContractStep").isNull()).isTrue();
    assertThat(cli.err()).doesNotContain("held");
    assertThat(columns(db)).isEqualTo("id,full_name,email");
  }

  @Test
  void aContractStepAloneAboveTheSchemaAppliesNothingAndSaysSo() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m = rename();
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString(), "--target", "2"))
        .as(cli.err())
        .isZero();
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString(), "--target", "3")).isZero();
    assertThat(cli.out()).contains("Schema is up to date at version 2.");
    assertThat(cli.err())
        .contains("dbbinding: held contract step V3__drop_name.sql (it and what follows");
  }

  @Test
  void aRepeatableContractStepIsRefusedInOneLine() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(m.resolve("R__views.sql"), "-- dbbinding:contract\nSELECT 1;");
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString())).isEqualTo(2);
    assertThat(cli.err().strip())
        .isEqualTo(
            "dbbinding: R__views.sql declares -- dbbinding:contract, which only a versioned"
                + " migration (V<version>__...) may; remove the line");
  }
}
