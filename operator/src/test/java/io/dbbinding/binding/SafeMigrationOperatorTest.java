package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.awaitEvent;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.condition;
import static io.dbbinding.binding.OperatorFixture.conditionMessage;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator applying migrations that are hard on a live database, against a real kube-apiserver
 * and a real PostgreSQL: concurrent index builds, lock waits, INVALID indexes. Each wait is bounded
 * by {@link OperatorFixture#WAIT}: a reconcile that hangs fails the test.
 */
@Tag("integration")
class SafeMigrationOperatorTest {
  private static KubernetesClient client;
  private static OperatorRuntime operator;
  private String ns;

  @BeforeAll
  static void startOperator() {
    client = TestKubernetes.client();
    operator = OperatorFixture.startOperator(client, false, "", "safe-migration-operator");
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

  static String one(DatabaseUrl db, String sql) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void aConcurrentIndexBuildIsAppliedAndTheBindingBecomesReady() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "V1__t.sql", "CREATE TABLE t (id int);\nINSERT INTO t SELECT generate_series(1, 1000);");
    files.put("V2__t_idx.sql", "CREATE INDEX CONCURRENTLY t_idx ON t (id);");
    configMap(client, ns, "m", files);
    create(client, binding(ns, "cic", "db", "m"));

    DatabaseBinding b = awaitCondition(client, ns, "cic", "Ready", "True", "Ready");
    assertThat(condition(b, "MigrationsApplied")).isEqualTo("True/Applied");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("2");
    assertThat(
            one(db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_idx'::regclass"))
        .isEqualTo("true");
  }

  @Test
  void aLockedTableIsLockTimeoutNamingTheBlockerThenAppliedOnceItEnds() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("V1__orders.sql", "CREATE TABLE orders (id int);");
    configMap(client, ns, "m", files);
    DatabaseBinding created = binding(ns, "lock", "db", "m");
    created.getSpec().getMigrations().setLockTimeout("300ms");
    create(client, created);
    awaitCondition(client, ns, "lock", "Ready", "True", "Ready");

    try (Connection blocker = PostgresServer.connect(db);
        Statement s = blocker.createStatement()) {
      s.execute("SET application_name = 'nightly-report'");
      blocker.setAutoCommit(false);
      s.executeQuery("SELECT count(*) FROM orders").close();

      files.put("V2__note.sql", "ALTER TABLE orders ADD COLUMN note text;");
      configMap(client, ns, "m", files);
      DatabaseBinding b =
          awaitCondition(client, ns, "lock", "MigrationsApplied", "False", "LockTimeout");
      assertThat(conditionMessage(b, "MigrationsApplied"))
          .contains("V2__note.sql could not get a lock within the lock timeout (300ms)")
          .contains("application_name 'nightly-report'")
          .contains("state 'idle in transaction'")
          .contains("query 'SELECT count(*) FROM orders'");
      assertThat(condition(b, "Ready")).isEqualTo("False/LockTimeout");
      assertThat(condition(b, "Reconciling")).isEqualTo("True/LockTimeout");
      assertThat(condition(b, "Stalled")).isEqualTo("False/Idle");
      Event warning = awaitEvent(client, ns, "lock", "LockTimeout").orElseThrow();
      assertThat(warning.getType()).isEqualTo("Warning");
      assertThat(warning.getMessage()).contains("nightly-report");
      blocker.commit();
    }
    DatabaseBinding ready = awaitCondition(client, ns, "lock", "Ready", "True", "Ready");
    assertThat(ready.getStatus().getSchemaVersion()).isEqualTo("2");
    assertThat(
            one(
                db,
                "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history"))
        .isEqualTo("1,2");
  }

  @Test
  void anInvalidIndexStallsNamingItUntilItIsDropped() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "V1__emails.sql",
        "CREATE TABLE emails (address text); INSERT INTO emails VALUES ('a@x'), ('a@x');");
    files.put(
        "V2__emails_unique.sql",
        "CREATE UNIQUE INDEX CONCURRENTLY emails_address ON emails (address);");
    configMap(client, ns, "m", files);
    DatabaseBinding created = binding(ns, "idx", "db", "m");
    created.getSpec().setCheckInterval("5s");
    create(client, created);

    DatabaseBinding b =
        awaitCondition(client, ns, "idx", "MigrationsApplied", "False", "InvalidIndex");
    assertThat(condition(b, "Stalled")).isEqualTo("True/InvalidIndex");
    assertThat(condition(b, "Ready")).isEqualTo("False/InvalidIndex");
    assertThat(conditionMessage(b, "MigrationsApplied"))
        .contains("V2__emails_unique.sql: index \"public\".\"emails_address\" is INVALID")
        .contains("DROP INDEX CONCURRENTLY \"public\".\"emails_address\";");
    assertThat(awaitEvent(client, ns, "idx", "InvalidIndex").orElseThrow().getType())
        .isEqualTo("Warning");

    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM emails WHERE ctid <> (SELECT min(ctid) FROM emails)");
      s.execute("DROP INDEX CONCURRENTLY emails_address");
    }
    DatabaseBinding ready = awaitCondition(client, ns, "idx", "Ready", "True", "Ready");
    assertThat(ready.getStatus().getSchemaVersion()).isEqualTo("2");
    assertThat(
            one(
                db,
                "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'emails_address'::regclass"))
        .isEqualTo("true");
  }

  @Test
  void aMixedFileIsRefusedSayingToSplitIt() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    configMap(
        client,
        ns,
        "m",
        Map.of("V1__t.sql", "CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);"));
    create(client, binding(ns, "mixed", "db", "m"));

    DatabaseBinding b = awaitCondition(client, ns, "mixed", "Stalled", "True", "MigrationFailed");
    assertThat(condition(b, "MigrationsApplied")).isEqualTo("False/MigrationFailed");
    assertThat(conditionMessage(b, "MigrationsApplied"))
        .contains("V1__t.sql mixes CREATE INDEX CONCURRENTLY (line 2)")
        .contains("split the file");
    assertThat(one(db, "SELECT to_regclass('public.t') IS NULL")).isEqualTo("t");
  }
}
