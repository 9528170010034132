package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.condition;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
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
}
