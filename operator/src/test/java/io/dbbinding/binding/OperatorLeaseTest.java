package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
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
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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
    Path kubeconfig = TestKubernetes.kubeconfigFile(dir);
    Path log = dir.resolve("operator.log");
    try (KubernetesClient client = TestKubernetes.client()) {
      secret(client, ns, "db", TestDatabases.newDatabase());
      Process leaving = OperatorProcess.start(kubeconfig, log, ns, "leaving");
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

      OperatorRuntime next = OperatorFixture.replica(client, ns, "next");
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
  void sigtermInTheMiddleOfAMigrationLosesNothing() throws Exception {
    String ns = TestKubernetes.newNamespace();
    Path log = dir.resolve("operator.log");
    DatabaseUrl db = TestDatabases.newDatabase();
    try (KubernetesClient client = TestKubernetes.client()) {
      secret(client, ns, "db", db);
      configMap(client, ns, "m", OperatorProcess.slowMigrations(8));
      Process leaving =
          OperatorProcess.start(TestKubernetes.kubeconfigFile(dir), log, ns, "leaving");
      long signalled;
      try {
        create(client, binding(ns, "orders", "db", "m"));
        Eventually.until(
            "V2 to be running", Duration.ofSeconds(60), () -> OperatorProcess.sleeping(db));
        leaving.destroy(); // SIGTERM while V2 runs
        signalled = System.nanoTime();
        boolean exited = leaving.waitFor(60, TimeUnit.SECONDS);
        assertThat(exited).as("exited; log:%n%s", Files.readString(log)).isTrue();
      } finally {
        leaving.destroyForcibly();
      }
      System.out.printf(
          "fault: leader got SIGTERM mid-migration; exited %d ms later with status %d%n",
          (System.nanoTime() - signalled) / 1_000_000, leaving.exitValue());

      OperatorRuntime next = OperatorFixture.replica(client, ns, "next");
      try {
        DatabaseBinding b = awaitCondition(client, ns, "orders", "Ready", "True", "Ready");
        assertThat(b.getStatus().getSchemaVersion()).isEqualTo("2");
      } finally {
        next.close();
      }
    }
    assertThat(OperatorProcess.history(db)).containsExactly("1:true", "2:true");
  }

  @Test
  void aReplicaWhoseLeaseIsTakenStopsAtOnceWithStatusOne() throws Exception {
    String ns = TestKubernetes.newNamespace();
    Path log = dir.resolve("operator.log");
    try (KubernetesClient client = TestKubernetes.client()) {
      Process leader =
          OperatorProcess.start(TestKubernetes.kubeconfigFile(dir), log, ns, "usurped");
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

  private static String holder(KubernetesClient client, String ns) {
    Lease lease = client.leases().inNamespace(ns).withName("dbbinding-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }
}
