package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader is killed with SIGKILL in the middle of a migration: the next leader finishes, and the
 * history table holds each migration once.
 */
@Tag("integration")
class OperatorKillTest {
  @TempDir Path dir;

  @Test
  void theNextLeaderFinishesAfterTheLeaderIsKilledMidMigration() throws Exception {
    String ns = TestKubernetes.newNamespace();
    DatabaseUrl db = TestDatabases.newDatabase();
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, TestKubernetes.kubeconfig());
    try (KubernetesClient client = TestKubernetes.client()) {
      secret(client, ns, "db", db);
      Map<String, String> files = new LinkedHashMap<>();
      files.put("V1__a.sql", "CREATE TABLE a (id int);");
      files.put(
          "V2__slow.sql",
          "CREATE TABLE b (id int);\nSELECT pg_sleep(20);\nCREATE TABLE c (id int);");
      configMap(client, ns, "m", files);

      Process victim = startOperatorProcess(kubeconfig, ns);
      long killed;
      try {
        create(client, binding(ns, "orders", "db", "m"));
        Eventually.until("V2 to be running", Duration.ofSeconds(60), () -> sleeping(db));
        victim.destroyForcibly(); // SIGKILL: no clean-up of any kind
        victim.waitFor();
        killed = System.nanoTime();
      } finally {
        victim.destroyForcibly();
      }

      OperatorRuntime survivor = OperatorFixture.replica(client, ns, "survivor");
      try {
        DatabaseBinding b =
            Eventually.get(
                "the survivor to finish the migrations",
                Duration.ofSeconds(120),
                () -> {
                  DatabaseBinding x = OperatorFixture.get(client, ns, "orders");
                  return x.getStatus() != null && "2".equals(x.getStatus().getSchemaVersion())
                      ? x
                      : null;
                });
        assertThat(OperatorFixture.condition(b, "Ready")).isEqualTo("True/Ready");
        System.out.printf(
            "fault: leader killed mid-migration; binding Ready %d ms later (Lease: 15 s)%n",
            (System.nanoTime() - killed) / 1_000_000);
      } finally {
        survivor.close();
      }
    }
    assertThat(history(db)).containsExactly("1:true", "2:true");
  }

  /** The history table as "version:success", in the order applied. */
  static List<String> history(DatabaseUrl db) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version || ':' || success FROM flyway_schema_history ORDER BY installed_rank")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  static boolean sleeping(DatabaseUrl db) {
    try (Connection c = PostgresServer.connect(TestDatabases.server().adminUrl());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                    + db.database()
                    + "' AND query LIKE '%pg_sleep(%' AND state = 'active'")) {
      rs.next();
      return rs.getInt(1) > 0;
    } catch (java.sql.SQLException e) {
      return false;
    }
  }

  private static Process startOperatorProcess(Path kubeconfig, String ns) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.dbbinding.cli.Main",
                "operator")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("LEADER_ELECTION", "true");
    env.put("POD_NAMESPACE", ns);
    env.put("POD_NAME", "victim");
    env.put("WATCH_NAMESPACES", ns);
    env.put("PORT", Integer.toString(port));
    return pb.start();
  }
}
