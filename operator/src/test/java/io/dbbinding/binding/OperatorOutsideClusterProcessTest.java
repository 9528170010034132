package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dbbinding operator} as the README shows it, on a laptop against the current kube
 * context: no POD_NAMESPACE, no LEADER_ELECTION, not in a pod. It starts without leader election,
 * says so in one INFO line, and reconciles a binding.
 */
@Tag("integration")
class OperatorOutsideClusterProcessTest {
  @TempDir Path dir;

  @Test
  void startsWithoutLeaderElectionSaysSoOnceAndReconciles() throws Exception {
    String ns = TestKubernetes.newNamespace();
    DatabaseUrl db = TestDatabases.newDatabase();
    Path log = dir.resolve("operator.log");
    ProcessBuilder pb = CliProcess.builder(log, "operator");
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", TestKubernetes.kubeconfigFile(dir).toString());
    env.remove("POD_NAMESPACE");
    env.remove("KUBERNETES_SERVICE_HOST");
    env.remove("LEADER_ELECTION");
    env.put("WATCH_NAMESPACES", ns);
    env.put("PORT", Integer.toString(FreePorts.any()));
    env.put("LOG_FORMAT", "json");
    try (KubernetesClient client = TestKubernetes.client()) {
      secret(client, ns, "db", db);
      configMap(client, ns, "m", Map.of("V1__init.sql", "CREATE TABLE t (id int);"));
      Process operator = pb.start();
      try {
        create(client, binding(ns, "orders", "db", "m"));
        DatabaseBinding b =
            OperatorFixture.awaitCondition(client, ns, "orders", "Ready", "True", "Ready");
        assertThat(b.getStatus().getSchemaVersion()).isEqualTo("1");
        assertThat(client.leases().inNamespace(ns).list().getItems())
            .as("no Lease taken")
            .isEmpty();

        operator.destroy(); // SIGTERM
        assertThat(operator.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(operator.exitValue()).isZero();
      } finally {
        operator.destroyForcibly();
      }
    }
    List<String> lines = Files.readAllLines(log);
    assertThat(lines.stream().filter(l -> l.contains("leader.election_off")))
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .contains("\"level\":\"INFO\"")
                    .contains("no KUBERNETES_SERVICE_HOST")
                    .contains("POD_NAMESPACE"));
    assertThat(lines)
        .anyMatch(
            l ->
                l.contains("\"event\":\"application.startup\"")
                    && l.contains("\"leader_election\":false"));
    assertThat(lines).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
  }
}
