package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two operator replicas: one leads, and when it stops the other takes over the work. */
@Tag("integration")
class LeaderElectionTest {

  private static int readiness(OperatorRuntime replica) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + replica.port() + "/health/ready"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String holder(KubernetesClient client, String ns) {
    Lease lease = client.leases().inNamespace(ns).withName("dbbinding-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void oneReplicaLeadsAndTheOtherTakesOverWhenItStops() throws Exception {
    String ns = TestKubernetes.newNamespace();
    try (KubernetesClient c1 = TestKubernetes.client();
        KubernetesClient c2 = TestKubernetes.client();
        KubernetesClient client = TestKubernetes.client()) {
      OperatorRuntime first = OperatorFixture.replica(c1, ns, "replica-a");
      String leader =
          Eventually.get("a lease holder", Duration.ofSeconds(30), () -> holder(client, ns));
      assertThat(leader).isEqualTo("replica-a");
      OperatorRuntime second = OperatorFixture.replica(c2, ns, "replica-b");
      try {
        secret(client, ns, "db", TestDatabases.newDatabase());
        create(client, binding(ns, "first", "db"));
        awaitCondition(client, ns, "first", "Ready", "True", "Ready");
        assertThat(holder(client, ns)).isEqualTo("replica-a");
        // A follower is ready too: a rolling update waits for the new pod's readiness before it
        // stops the old leader, so a follower that waited for the Lease would block it for ever.
        assertThat(readiness(first)).isEqualTo(200);
        assertThat(readiness(second)).isEqualTo(200);
        assertThat(first.metrics().scrape()).contains("dbbinding_leader 1.0");
        assertThat(second.metrics().scrape()).contains("dbbinding_leader 0.0");

        first.close();
        Eventually.until(
            "replica-b to take the lease",
            Duration.ofSeconds(60),
            () -> "replica-b".equals(holder(client, ns)));
        Eventually.until(
            "replica-b to report that it leads",
            Duration.ofSeconds(10),
            () -> second.metrics().scrape().contains("dbbinding_leader 1.0"));
        create(client, binding(ns, "second", "db"));
        awaitCondition(client, ns, "second", "Ready", "True", "Ready");
      } finally {
        second.close();
      }
    }
  }
}
