package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as a process and its leader Lease: on SIGTERM (a rolling update) it exits 0 and
 * hands the Lease back, so the next replica leads at once instead of waiting out the 15 s lease;
 * when the Lease is taken from it, it stops at once with status 1, so two never reconcile together.
 */
@Tag("integration")
class OperatorLeaseTest {
  @TempDir Path dir;

  @Test
  void sigtermExitsZeroAndHandsTheLeaseToTheNextReplica() throws Exception {
    String ns = TestKubernetes.newNamespace();
    Path kubeconfig = kubeconfig();
    Path log = dir.resolve("operator.log");
    try (KubernetesClient client = TestKubernetes.client()) {
      secret(client, ns, "db", TestDatabases.newDatabase());
      Process leaving = startOperator(kubeconfig, log, ns, "leaving");
      try {
        create(client, binding(ns, "first", "db"));
        awaitCondition(client, ns, "first", "Ready", "True", "Ready");
        assertThat(holder(client, ns)).isEqualTo("leaving");

        leaving.destroy(); // SIGTERM, as the kubelet sends it
        boolean exited = leaving.waitFor(30, TimeUnit.SECONDS);
        assertThat(exited)
            .as("exited within 30 s of SIGTERM; its log:%n%s", Files.readString(log))
            .isTrue();
        assertThat(leaving.exitValue()).as(Files.readString(log)).isZero();
      } finally {
        leaving.destroyForcibly();
      }
      long stopped = System.nanoTime();
      assertThat(holder(client, ns)).as("the Lease holder after a clean stop").isNullOrEmpty();
      assertThat(Files.readString(log)).contains("\"event\":\"leader.lease_released\"");

      OperatorRuntime next =
          OperatorRuntime.start(
              client,
              Settings.load(SettingSource.of(Map.of())),
              new OperatorSettings(
                  Set.of(ns), true, "dbbinding-operator", ns, "next", Duration.ofSeconds(5)),
              0,
              OperatorFixture.quickRetry(),
              false);
      try {
        create(client, binding(ns, "second", "db"));
        awaitCondition(client, ns, "second", "Ready", "True", "Ready");
        long tookOver = (System.nanoTime() - stopped) / 1_000_000;
        assertThat(holder(client, ns)).isEqualTo("next");
        System.out.printf(
            "fault: leader stopped with SIGTERM; next binding Ready %d ms later%n", tookOver);
      } finally {
        next.close();
      }
    }
  }

  @Test
  void aReplicaWhoseLeaseIsTakenStopsAtOnceWithStatusOne() throws Exception {
    String ns = TestKubernetes.newNamespace();
    Path log = dir.resolve("operator.log");
    try (KubernetesClient client = TestKubernetes.client()) {
      Process leader = startOperator(kubeconfig(), log, ns, "usurped");
      try {
        Eventually.until(
            "the operator to hold the Lease",
            Duration.ofSeconds(60),
            () -> "usurped".equals(holder(client, ns)));
        // Someone else holds it now, freshly renewed for a minute: as after a network partition.
        // The leader renews every 2 s, so a write may meet a newer version (409): try again.
        Eventually.until(
            "the Lease to be taken",
            Duration.ofSeconds(30),
            () -> {
              try {
                client
                    .leases()
                    .inNamespace(ns)
                    .withName("dbbinding-operator")
                    .edit(
                        l ->
                            new LeaseBuilder(l)
                                .editSpec()
                                .withHolderIdentity("other-replica")
                                .withLeaseDurationSeconds(60)
                                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC))
                                .endSpec()
                                .build());
                return true;
              } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                  return false;
                }
                throw e;
              }
            });
        boolean exited = leader.waitFor(60, TimeUnit.SECONDS);
        assertThat(exited)
            .as("stopped after losing the Lease; log:%n%s", Files.readString(log))
            .isTrue();
        assertThat(leader.exitValue()).isEqualTo(1);
      } finally {
        leader.destroyForcibly();
      }
      assertThat(Files.readString(log)).contains("\"event\":\"leader.lease_lost\"");
      assertThat(holder(client, ns)).isEqualTo("other-replica");
    }
  }

  private Path kubeconfig() throws IOException {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, TestKubernetes.kubeconfig());
    return kubeconfig;
  }

  private static Process startOperator(Path kubeconfig, Path log, String ns, String identity)
      throws IOException {
    ProcessBuilder pb = CliProcess.builder(log, "operator");
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("POD_NAMESPACE", ns);
    env.put("POD_NAME", identity);
    env.put("WATCH_NAMESPACES", ns);
    env.put("PORT", Integer.toString(CliProcess.freePort()));
    return pb.start();
  }

  private static String holder(KubernetesClient client, String ns) {
    Lease lease = client.leases().inNamespace(ns).withName("dbbinding-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
