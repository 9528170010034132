package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** migrate, info and validate from the command line against a real PostgreSQL. */
@Tag("integration")
class MigrationCliTest {
  @TempDir Path dir;
  private final InProcessCli cli = new InProcessCli();

  private Path examples() {
    return Path.of("..", "examples", "migrations").toAbsolutePath().normalize();
  }

  private static boolean historyExists(DatabaseUrl db) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  @Test
  void migrateInfoValidateAsAPersonUsesThem() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    assertThat(cli.run(dir, db, "migrate", "--location", examples().toString())).isZero();
    assertThat(cli.out())
        .contains("Applied V1__create_customers.sql")
        .contains("Migrated from version none to 3: 4 migrations");

    assertThat(cli.run(dir, db, "info", "--location", examples().toString())).isZero();
    assertThat(cli.out())
        .contains("Schema version: 3  (4 applied, 0 pending, 0 failed)")
        .containsPattern("Version +Description +Type +State +Installed on +Checksum")
        .containsPattern("1 +create customers +SQL +Success");

    assertThat(cli.run(dir, db, "validate", "--location", examples().toString())).isZero();
    assertThat(cli.out()).contains("Valid: every applied migration matches its file (0 pending).");

    assertThat(cli.run(dir, db, "migrate", "--location", examples().toString())).isZero();
    assertThat(cli.out()).contains("Schema is up to date at version 3.");
  }

  @Test
  void migrateReadsAConfigMapMountedAsTheKubeletWritesIt() throws Exception {
    // examples/without-operator/migrate-job.yaml mounts the migrations ConfigMap at /migrations:
    // a hidden timestamped folder, a hidden ..data link to it, one visible link per key.
    Path volume = Files.createDirectories(dir.resolve("migrations"));
    Path data = Files.createDirectories(volume.resolve("..2026_11_25_04_00_00.000000001"));
    try (var list = Files.list(examples())) {
      for (Path file : list.toList()) {
        Files.copy(file, data.resolve(file.getFileName()));
        Files.createSymbolicLink(
            volume.resolve(file.getFileName()), Path.of("..data").resolve(file.getFileName()));
      }
    }
    Files.createSymbolicLink(volume.resolve("..data"), data.getFileName());

    DatabaseUrl db = TestDatabases.newDatabase();
    assertThat(cli.run(dir, db, "migrate", "--location", volume.toString())).as(cli.err()).isZero();
    assertThat(cli.out()).contains("Migrated from version none to 3: 4 migrations");
  }

  @Test
  void jsonOutputIsStable() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    ObjectMapper json = new ObjectMapper();
    assertThat(
            cli.run(
                dir,
                db,
                "migrate",
                "--location",
                examples().toString(),
                "--target",
                "2",
                "--output",
                "json"))
        .isZero();
    JsonNode migrate = json.readTree(cli.out());
    assertThat(migrate.get("command").asText()).isEqualTo("migrate");
    assertThat(migrate.get("success").asBoolean()).isTrue();
    assertThat(migrate.get("initialVersion").isNull()).isTrue();
    assertThat(migrate.get("schemaVersion").asText()).isEqualTo("2");
    assertThat(migrate.get("applied")).hasSize(3);
    assertThat(migrate.get("pending").asInt()).isEqualTo(1);
    assertThat(migrate.has("durationMs")).isTrue();

    assertThat(cli.run(dir, db, "info", "--location", examples().toString(), "--output", "json"))
        .isZero();
    JsonNode info = json.readTree(cli.out());
    assertThat(info.get("schemaVersion").asText()).isEqualTo("2");
    assertThat(info.get("pending").asInt()).isEqualTo(1);
    JsonNode first = info.get("migrations").get(0);
    assertThat(first.fieldNames())
        .toIterable()
        .containsExactly(
            "version",
            "description",
            "type",
            "script",
            "checksum",
            "state",
            "installedOn",
            "executionTimeMs",
            "contract");

    assertThat(
            cli.run(dir, db, "validate", "--location", examples().toString(), "--output", "json"))
        .isZero();
    JsonNode validate = json.readTree(cli.out());
    assertThat(validate.get("valid").asBoolean()).isTrue();
    assertThat(validate.get("pending").asInt()).isEqualTo(1);
    assertThat(validate.get("problems")).isEmpty();
  }

  @Test
  void aFailingMigrationIsExitOneNamingTheFileAndTheError() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Files.writeString(dir.resolve("V1__ok.sql"), "CREATE TABLE ok (id int);");
    Files.writeString(dir.resolve("V2__bad.sql"), "CREATE TABLE half (id int);\nSELEC 1;");
    assertThat(cli.run(dir, db, "migrate", "--location", dir.toString(), "--output", "json"))
        .isEqualTo(1);
    assertThat(cli.err())
        .contains("V2__bad.sql failed")
        .contains("SQLSTATE 42601")
        .contains("position");
    JsonNode failure = new ObjectMapper().readTree(cli.out());
    assertThat(failure.get("success").asBoolean()).isFalse();
    assertThat(failure.get("reason").asText()).isEqualTo("MigrationFailed");
  }

  @Test
  void anEditedMigrationFailsValidateAndMigrate() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Files.writeString(dir.resolve("V1__a.sql"), "CREATE TABLE a (id int);");
    assertThat(cli.run(dir, db, "migrate", "--location", dir.toString())).isZero();
    Files.writeString(dir.resolve("V1__a.sql"), "CREATE TABLE a (id bigint);");
    assertThat(cli.run(dir, db, "validate", "--location", dir.toString())).isEqualTo(1);
    assertThat(cli.out())
        .contains("Invalid:")
        .contains("V1__a.sql was changed after it was applied");
    assertThat(cli.run(dir, db, "migrate", "--location", dir.toString())).isEqualTo(1);
    assertThat(cli.err()).contains("V1__a.sql").contains("checksum mismatch");
  }

  @Test
  void badInputIsAClearMessageAndTheDatabaseIsUntouched() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    assertThat(cli.run(dir, db, "migrate", "--location", "missing")).isEqualTo(2);
    assertThat(cli.err().strip())
        .isEqualTo("dbbinding: migration folder " + dir.resolve("missing") + " does not exist");

    Path empty = Files.createDirectory(dir.resolve("empty"));
    assertThat(cli.run(dir, db, "migrate", "--location", empty.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("no migrations found in " + empty);

    Path badName = Files.createDirectory(dir.resolve("badname"));
    Files.writeString(badName.resolve("V1_init.sql"), "SELECT 1;");
    assertThat(cli.run(dir, db, "migrate", "--location", badName.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("V1_init.sql is not a migration name");

    Path brokenLink = Files.createDirectory(dir.resolve("brokenlink"));
    Files.writeString(brokenLink.resolve("V1__init.sql"), "CREATE TABLE kept_out (id int);");
    Files.createSymbolicLink(brokenLink.resolve("V2__gone.sql"), dir.resolve("nowhere.sql"));
    assertThat(cli.run(dir, db, "migrate", "--location", brokenLink.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("cannot read V2__gone.sql");

    assertThat(cli.run(dir, null, "migrate", "--location", examples().toString())).isEqualTo(2);
    assertThat(cli.err()).contains("DATABASE_URL is not set");

    assertThat(historyExists(db)).isFalse();
  }

  @Test
  void anUnreachableDatabaseIsExitOne() throws IOException {
    DatabaseUrl nowhere = DatabaseUrl.parse("postgresql://app:pw@127.0.0.1:1/app");
    assertThat(cli.run(dir, nowhere, "info")).isEqualTo(1);
    assertThat(cli.err()).contains("cannot be reached").doesNotContain(":pw@");
  }

  @Test
  void classpathLocationsWork() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    assertThat(cli.run(dir, db, "migrate", "--location", "classpath:migrations-on-classpath"))
        .isZero();
    assertThat(cli.out()).contains("Applied V1__from_classpath.sql");
    assertThat(cli.run(dir, db, "migrate", "--location", "classpath:x", "--location", "y"))
        .isEqualTo(2);
  }
}
