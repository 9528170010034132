package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.awaitEvent;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A schema changed by hand, in another session, while the operator watches it: a real
 * kube-apiserver and a real PostgreSQL, checkInterval at its floor of 5s.
 */
@Tag("integration")
class SchemaDriftOperatorTest {
  private static KubernetesClient client;
  private static OperatorRuntime operator;
  private String ns;

  @BeforeAll
  static void startOperator() {
    client = TestKubernetes.client();
    operator = OperatorFixture.startOperator(client, false, "", "schema-drift-operator");
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

  private static void psql(DatabaseUrl db, String sql) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A binding of one orders table, Ready, checked every 5s with {@code drift}. */
  private Map<String, String> ready(DatabaseUrl db, String name, String drift) {
    secret(client, ns, "db", db);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("V1__orders.sql", "CREATE TABLE orders (id int PRIMARY KEY, note text);");
    configMap(client, ns, "m", files);
    DatabaseBinding b = binding(ns, name, "db", "m");
    b.getSpec().setCheckInterval("5s");
    b.getSpec().getMigrations().setDrift(drift);
    create(client, b);
    DatabaseBinding r = awaitCondition(client, ns, name, "Ready", "True", "Ready");
    assertThat(condition(r, "SchemaDrift")).isEqualTo("False/NoDrift");
    assertThat(r.getStatus().getSchemaFingerprint()).hasSize(32);
    return files;
  }

  private List<Event> driftEvents(String name) {
    return events(client, ns, name).stream()
        .filter(e -> Reasons.SCHEMA_DRIFT.equals(e.getReason()))
        .toList();
  }

  private static String metrics() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + operator.port() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  @Test
  void aColumnDroppedInAnotherSessionIsNamedWithOneWarningEvent() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    ready(db, "warned", "warn");

    psql(db, "ALTER TABLE orders DROP COLUMN note");
    DatabaseBinding drifted =
        awaitCondition(client, ns, "warned", "SchemaDrift", "True", "Drifted");
    assertThat(conditionMessage(drifted, "SchemaDrift"))
        .contains("column public.orders.note removed");
    assertThat(condition(drifted, "Ready")).as("warn").isEqualTo("True/Ready");
    Event warning = awaitEvent(client, ns, "warned", Reasons.SCHEMA_DRIFT).orElseThrow();
    assertThat(warning.getType()).isEqualTo("Warning");
    assertThat(warning.getMessage()).contains("column public.orders.note removed");
    assertThat(metrics())
        .contains("dbbinding_schema_drift_total")
        .contains("dbbinding_binding_schema_drift{name=\"warned\",namespace=\"" + ns + "\"} 1.0");

    // A later check sees more of the same drift: the message follows, the Event is not repeated.
    psql(db, "CREATE INDEX orders_by_id ON orders (id)");
    Eventually.get(
        "the drift message naming the new index",
        OperatorFixture.WAIT,
        () -> {
          DatabaseBinding b = OperatorFixture.get(client, ns, "warned");
          return conditionMessage(b, "SchemaDrift").contains("index public.orders_by_id added")
              ? b
              : null;
        });
    assertThat(driftEvents("warned")).hasSize(1);
  }

  @Test
  void blockTurnsReadyFalseUntilTheColumnIsRestored() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    ready(db, "blocked", "block");

    psql(db, "ALTER TABLE orders DROP COLUMN note");
    DatabaseBinding b = awaitCondition(client, ns, "blocked", "Ready", "False", "Drifted");
    assertThat(conditionMessage(b, "Ready")).contains("column public.orders.note removed");
    assertThat(condition(b, "Stalled")).isEqualTo("False/Idle");

    psql(db, "ALTER TABLE orders ADD COLUMN note text");
    DatabaseBinding restored = awaitCondition(client, ns, "blocked", "Ready", "True", "Ready");
    assertThat(condition(restored, "SchemaDrift")).isEqualTo("False/NoDrift");
  }

  @Test
  void blockIsLiftedByAMigrationThatMakesTheChange() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Map<String, String> files = ready(db, "rebaselined", "block");

    psql(db, "ALTER TABLE orders DROP COLUMN note");
    awaitCondition(client, ns, "rebaselined", "Ready", "False", "Drifted");

    files.put("V2__drop_note.sql", "ALTER TABLE orders DROP COLUMN IF EXISTS note;");
    configMap(client, ns, "m", files);
    DatabaseBinding b = awaitCondition(client, ns, "rebaselined", "Ready", "True", "Ready");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("2");
    assertThat(condition(b, "SchemaDrift")).isEqualTo("False/NoDrift");
  }

  @Test
  void aNewMigrationThatChangesTheSameObjectIsNotDrift() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Map<String, String> files = ready(db, "migrated", "warn");

    files.put("V2__note_varchar.sql", "ALTER TABLE orders ALTER COLUMN note TYPE varchar(200);");
    configMap(client, ns, "m", files);
    awaitCondition(client, ns, "migrated", "MigrationsApplied", "True", "Applied");
    // Then a routine check compares the schema with the baseline V2 left.
    DatabaseBinding b =
        awaitCondition(client, ns, "migrated", "MigrationsApplied", "True", "UpToDate");
    assertThat(condition(b, "SchemaDrift")).isEqualTo("False/NoDrift");
    assertThat(driftEvents("migrated")).isEmpty();
  }

  @Test
  void offReportsThatTheSchemaIsNotCompared() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    configMap(client, ns, "m", Map.of("V1__orders.sql", "CREATE TABLE orders (note text);"));
    DatabaseBinding created = binding(ns, "unwatched", "db", "m");
    created.getSpec().setCheckInterval("5s");
    created.getSpec().getMigrations().setDrift("off");
    create(client, created);
    DatabaseBinding b = awaitCondition(client, ns, "unwatched", "Ready", "True", "Ready");
    assertThat(condition(b, "SchemaDrift")).isEqualTo("False/DriftCheckOff");
    assertThat(b.getStatus().getSchemaFingerprint()).isNull();
    psql(db, "ALTER TABLE orders DROP COLUMN note");
    // The routine check after the apply (UpToDate) still reports nothing.
    DatabaseBinding later =
        awaitCondition(client, ns, "unwatched", "MigrationsApplied", "True", "UpToDate");
    assertThat(condition(later, "SchemaDrift")).isEqualTo("False/DriftCheckOff");
    assertThat(driftEvents("unwatched")).isEmpty();
  }
}
