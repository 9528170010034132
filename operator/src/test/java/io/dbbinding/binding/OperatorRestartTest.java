package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.get;
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
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A restarted operator re-verifies a Ready binding from its status.migrationsFingerprint: no Flyway
 * run and no status write, while a binding created during the restart is migrated at once.
 */
@Tag("integration")
class OperatorRestartTest {
  @Test
  void aRestartReVerifiesWithoutRunningFlywayOrWritingTheStatus() throws Exception {
    String ns = TestKubernetes.newNamespace();
    DatabaseUrl db = TestDatabases.newDatabase();
    try (KubernetesClient client = TestKubernetes.client()) {
      secret(client, ns, "db", db);
      configMap(client, ns, "m", Map.of("V1__orders.sql", "CREATE TABLE orders (id int);"));
      DatabaseBinding orders = binding(ns, "orders", "db", "m");
      orders.getSpec().setCheckInterval("5s");
      create(client, orders);
      OperatorRuntime first = OperatorFixture.watching(client, ns, "first");
      try {
        // Settled: the pass that applied V1 said Applied; a check after it says UpToDate.
        awaitCondition(client, ns, "orders", "MigrationsApplied", "True", "UpToDate");
      } finally {
        first.close();
      }
      // Read once the first operator stopped: whatever it wrote is in.
      DatabaseBinding ready = get(client, ns, "orders");
      assertThat(ready.getStatus().getMigrationsFingerprint()).isNotBlank();
      long scansBefore = historyScans(db);
      secret(client, ns, "other", TestDatabases.newDatabase());

      OperatorRuntime second = OperatorFixture.watching(client, ns, "second");
      try {
        // The restart's first reconciles are queued at start; a binding created afterwards is
        // Ready only after them.
        create(client, binding(ns, "later", "other", "m"));
        awaitCondition(client, ns, "later", "Ready", "True", "Ready");
        DatabaseBinding after = get(client, ns, "orders");
        assertThat(after.getMetadata().getResourceVersion())
            .as("the Ready binding's status is not written again")
            .isEqualTo(ready.getMetadata().getResourceVersion());
      } finally {
        second.close();
      }
      // The check reads the history table once (its fingerprint); Flyway would read it again and
      // again (its info, the migrate's validation, the info after).
      assertThat(historyScans(db) - scansBefore)
          .as("reads of orders' history table by the restarted operator")
          .isBetween(1L, 2L);
    }
  }

  /** Scans of the history table, as the server's statistics count them. */
  private static long historyScans(DatabaseUrl db) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      s.execute("SELECT pg_stat_force_next_flush()");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables"
                  + " WHERE relname = 'flyway_schema_history'")) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
