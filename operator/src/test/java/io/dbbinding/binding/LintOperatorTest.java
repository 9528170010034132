package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.condition;
import static io.dbbinding.binding.OperatorFixture.conditionMessage;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.events;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * spec.migrations.lint on a real kube-apiserver and a real PostgreSQL: warn applies and says which
 * rules each file breaks, one Warning Event per file; block applies nothing (UnsafeMigration,
 * Stalled) until the ConfigMap carries the waivers.
 */
@Tag("integration")
class LintOperatorTest {
  private static KubernetesClient client;
  private static OperatorRuntime operator;
  private String ns;

  private static final String V1 =
      "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, note text);\n"
          + "CREATE INDEX orders_note_idx ON orders (note);\n"; // a new table: exempt
  private static final String V2 = "create index on orders(customer_id);\n";
  private static final String V3 =
      "ALTER TABLE orders RENAME COLUMN note TO remark;\nALTER TABLE orders DROP COLUMN remark;\n";

  @BeforeAll
  static void startOperator() {
    client = TestKubernetes.client();
    operator = OperatorFixture.startOperator(client, false, "", "lint-operator");
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
    client.close();
  }

  @BeforeEach
  void namespace() {
    ns = TestKubernetes.newNamespace();
  }

  @Test
  void warnAppliesAndEmitsOneWarningEventPerFileNamingTheRules() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    configMap(
        client,
        ns,
        "m",
        Map.of("V1__orders.sql", V1, "V2__orders_customer.sql", V2, "V3__remark.sql", V3));
    create(client, binding(ns, "shop", "db", "m")); // lint defaults to warn

    DatabaseBinding b = awaitCondition(client, ns, "shop", "Ready", "True", "Ready");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("3");
    assertThat(appliedVersions(db)).containsExactly("1", "2", "3");

    List<Event> warnings =
        Eventually.get(
            "two UnsafeMigration Events",
            Duration.ofSeconds(30),
            () -> {
              List<Event> e = unsafeEvents();
              return e.size() >= 2 ? e : null;
            });
    assertThat(warnings).allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
    assertThat(warnings)
        .extracting(Event::getMessage)
        .containsExactlyInAnyOrder(
            "V2__orders_customer.sql: require-concurrent-index-creation (line 1) breaks lint"
                + " rules (see dbbinding lint); applied because spec.migrations.lint is warn",
            "V3__remark.sql: renaming-column (line 1), ban-drop-column (line 2) breaks lint rules"
                + " (see dbbinding lint); applied because spec.migrations.lint is warn");
    // Applied files are history: a later reconcile warns about them no more.
    Thread.sleep(2_000);
    assertThat(unsafeEvents()).hasSize(2);
  }

  @Test
  void blockAppliesNothingUntilTheConfigMapCarriesTheWaivers() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    configMap(
        client,
        ns,
        "m",
        Map.of("V1__orders.sql", V1, "V2__orders_customer.sql", V2, "V3__remark.sql", V3));
    DatabaseBinding fresh = binding(ns, "shop", "db", "m");
    fresh.getSpec().getMigrations().setLint("block");
    create(client, fresh);

    DatabaseBinding b =
        awaitCondition(client, ns, "shop", "MigrationsApplied", "False", "UnsafeMigration");
    b = awaitCondition(client, ns, "shop", "Stalled", "True", "UnsafeMigration");
    assertThat(condition(b, "Ready")).isEqualTo("False/UnsafeMigration");
    assertThat(conditionMessage(b, "MigrationsApplied"))
        .startsWith(
            "Nothing applied: V2__orders_customer.sql: require-concurrent-index-creation (line"
                + " 1); V3__remark.sql: renaming-column (line 1), ban-drop-column (line 2).")
        .contains("-- dbbinding:allow <rule>");
    assertThat(b.getStatus().getPendingMigrations()).isEqualTo(3);
    assertThat(appliedVersions(db)).isEmpty();
    assertThat(tableExists(db, "orders")).isFalse();

    configMap(
        client,
        ns,
        "m",
        Map.of(
            "V1__orders.sql",
            V1,
            "V2__orders_customer.sql",
            "-- dbbinding:allow require-concurrent-index-creation\n" + V2,
            "V3__remark.sql",
            "-- dbbinding:allow renaming-column\n"
                + "ALTER TABLE orders RENAME COLUMN note TO remark;\n"
                + "-- dbbinding:allow ban-drop-column\n"
                + "ALTER TABLE orders DROP COLUMN remark;\n"));
    b = awaitCondition(client, ns, "shop", "Ready", "True", "Ready");
    assertThat(condition(b, "Stalled")).isEqualTo("False/Idle");
    assertThat(condition(b, "MigrationsApplied")).isEqualTo("True/Applied");
    assertThat(appliedVersions(db)).containsExactly("1", "2", "3");
  }

  private List<Event> unsafeEvents() {
    return events(client, ns, "shop").stream()
        .filter(e -> "UnsafeMigration".equals(e.getReason()))
        .toList();
  }

  private static List<String> appliedVersions(DatabaseUrl db) throws Exception {
    if (!tableExists(db, "flyway_schema_history")) {
      return List.of();
    }
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
      List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
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
