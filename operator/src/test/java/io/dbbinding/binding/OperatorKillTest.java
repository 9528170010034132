package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
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
    Path kubeconfig = TestKubernetes.kubeconfigFile(dir);
    try (KubernetesClient client = TestKubernetes.client()) {
      secret(client, ns, "db", db);
      configMap(client, ns, "m", OperatorProcess.slowMigrations(20));

      Process victim = OperatorProcess.start(kubeconfig, dir.resolve("operator.log"), ns, "victim");
      long killed;
      try {
        create(client, binding(ns, "orders", "db", "m"));
        Eventually.until(
            "V2 to be running", Duration.ofSeconds(60), () -> OperatorProcess.sleeping(db));
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
    assertThat(OperatorProcess.history(db)).containsExactly("1:true", "2:true");
  }
}
