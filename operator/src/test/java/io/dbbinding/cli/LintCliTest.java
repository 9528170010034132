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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbbinding lint} as a user runs it, and {@code migrate --lint} against a real PostgreSQL:
 * the busy-table index is reported, with its rule and what to write instead, before anything is
 * applied.
 */
class LintCliTest {
  @TempDir Path dir;
  private final InProcessCli cli = new InProcessCli();

  private Path migrations() throws Exception {
    Path m = Files.createDirectories(dir.resolve("migrations"));
    Files.writeString(
        m.resolve("V1__orders.sql"),
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n"
            + "CREATE INDEX orders_id_idx ON orders (id);\n");
    Files.writeString(
        m.resolve("V2__orders_customer.sql"),
        "-- find a customer's orders\ncreate index on orders(customer_id);\n");
    return m;
  }

  @Test
  void lintShowsTheRuleTheLockAndWhatToWriteInsteadAndExits1() throws Exception {
    Path m = migrations();
    assertThat(cli.run(dir, null, "lint", "--location", m.toString())).isEqualTo(ExitCode.FAILED);
    assertThat(cli.out())
        .isEqualTo(
            "V2__orders_customer.sql:2 require-concurrent-index-creation\n"
                + "  CREATE INDEX on orders without CONCURRENTLY blocks writes to it until the"
                + " index is built; instead write CREATE INDEX CONCURRENTLY, alone in a migration"
                + " file of its own\n"
                + "  lock: SHARE on the table: INSERT, UPDATE and DELETE wait until the index is"
                + " built\n"
                + "1 problem in 1 of 2 migrations.\n");
  }

  @Test
  void lintAsJson() throws Exception {
    Path m = migrations();
    assertThat(cli.run(dir, null, "lint", "--location", m.toString(), "--output", "json"))
        .isEqualTo(ExitCode.FAILED);
    JsonNode body = new ObjectMapper().readTree(cli.out());
    assertThat(body.get("command").asText()).isEqualTo("lint");
    assertThat(body.get("problems")).hasSize(1);
    JsonNode p = body.get("problems").get(0);
    assertThat(p.get("script").asText()).isEqualTo("V2__orders_customer.sql");
    assertThat(p.get("line").asInt()).isEqualTo(2);
    assertThat(p.get("rule").asText()).isEqualTo("require-concurrent-index-creation");
    assertThat(p.get("message").asText()).contains("write CREATE INDEX CONCURRENTLY");
    assertThat(p.get("lock").asText()).startsWith("SHARE");
    assertThat(p.fieldNames())
        .toIterable()
        .containsExactly("script", "line", "rule", "message", "lock");
  }

  @Test
  void cleanMigrationsExit0() throws Exception {
    Path m = migrations();
    Files.writeString(
        m.resolve("V2__orders_customer.sql"),
        "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);\n");
    assertThat(cli.run(dir, null, "lint", "--location", m.toString())).isEqualTo(ExitCode.OK);
    assertThat(cli.out()).isEqualTo("No problems in 2 migrations.\n");
    assertThat(cli.run(dir, null, "lint", "--location", m.toString(), "--output", "json")).isZero();
    assertThat(cli.out().strip()).isEqualTo("{\"command\":\"lint\",\"problems\":[]}");
  }

  @Test
  void badUsageExits2WithOneLine() throws Exception {
    assertThat(cli.run(dir, null, "lint")).isEqualTo(ExitCode.USAGE);
    assertThat(cli.err())
        .isEqualTo("dbbinding: lint needs at least one --location DIR holding the migrations\n");
    assertThat(cli.run(dir, null, "lint", "--location", dir.resolve("nowhere").toString()))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).startsWith("dbbinding: migration folder ").endsWith(" does not exist\n");
    assertThat(cli.run(dir, null, "lint", "--location", dir.toString(), "--output", "yaml"))
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void migrateWithLintBlockAppliesNothingAndNamesTheRule() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m = migrations();
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString(), "--lint", "block"))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.err())
        .contains("V2__orders_customer.sql:2 require-concurrent-index-creation")
        .contains("write CREATE INDEX CONCURRENTLY")
        .contains("nothing applied: V2__orders_customer.sql: require-concurrent-index-creation");
    assertThat(tableExists(db, "orders")).isFalse();

    // info and validate show the same problem for the pending file
    assertThat(cli.run(dir, db, "info", "--location", m.toString(), "--output", "json")).isZero();
    JsonNode info = new ObjectMapper().readTree(cli.out());
    assertThat(info.get("lint").get(0).get("rule").asText())
        .isEqualTo("require-concurrent-index-creation");
    assertThat(cli.run(dir, db, "validate", "--location", m.toString(), "--lint", "block"))
        .isEqualTo(ExitCode.FAILED);
    assertThat(cli.err()).contains("V2__orders_customer.sql:2 require-concurrent-index-creation");

    // the waiver on the line before lets it through
    Files.writeString(
        m.resolve("V2__orders_customer.sql"),
        "-- dbbinding:allow require-concurrent-index-creation\n"
            + "create index on orders(customer_id);\n");
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString(), "--lint", "block")).isZero();
    assertThat(cli.out()).contains("Applied V2__orders_customer.sql");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void migrateWarnsByDefaultAndApplies() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m = migrations();
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString())).isZero();
    assertThat(cli.err())
        .startsWith("dbbinding: warning: pending migrations break lint rules:\n")
        .contains("V2__orders_customer.sql:2 require-concurrent-index-creation");
    assertThat(cli.out()).contains("Applied V2__orders_customer.sql");
    // applied migrations are history: linted no more
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString())).isZero();
    assertThat(cli.err()).isEmpty();
    assertThat(cli.run(dir, db, "migrate", "--location", m.toString(), "--lint", "maybe"))
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.err()).contains("--lint must be warn, block or off");
  }

  private static boolean tableExists(DatabaseUrl db, String table) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }
}
