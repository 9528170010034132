package io.dbbinding.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.binding.OperatorFixture;
import io.dbbinding.binding.ReadinessGateSpec;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Gate release and fail-open on a real API server: what {@code kubectl get pod -o yaml} and {@code
 * kubectl describe pod} show when a binding is deleted, when the operator was down meanwhile, and
 * when a binding's pods wait longer than its {@code failOpenAfter}.
 */
@Tag("integration")
class GateReleaseOperatorTest {
  private static KubernetesClient client;
  private static OperatorRuntime operator;
  private String ns;

  @BeforeAll
  static void startOperator() {
    client = TestKubernetes.client();
    operator = OperatorFixture.startOperator(client, false, "", "gate-release-test");
  }

  @AfterAll
  static void stop() {
    operator.close();
    client.close();
  }

  @BeforeEach
  void namespace() {
    ns = TestKubernetes.newNamespace();
  }

  private void readyBinding(String name) {
    OperatorFixture.secret(client, ns, name + "-db", TestDatabases.newDatabase());
    OperatorFixture.configMap(
        client,
        ns,
        name + "-m",
        Map.of("V1__a.sql", "CREATE TABLE a (id int);", "V2__b.sql", "CREATE TABLE b (id int);"));
    OperatorFixture.create(client, OperatorFixture.binding(ns, name, name + "-db", name + "-m"));
    OperatorFixture.awaitCondition(client, ns, name, "Ready", "True", "Ready");
  }

  /** A binding whose database never answers, so that its pods wait. */
  private void unreachableBinding(String name, String failOpenAfter) throws IOException {
    OperatorFixture.secret(
        client, ns, name + "-db", "postgresql://app:s3cret@127.0.0.1:" + FreePorts.any() + "/app");
    DatabaseBinding b = OperatorFixture.binding(ns, name, name + "-db");
    if (failOpenAfter != null) {
      ReadinessGateSpec gate = new ReadinessGateSpec();
      gate.setFailOpenAfter(failOpenAfter);
      b.getSpec().setReadinessGate(gate);
    }
    OperatorFixture.create(client, b);
  }

  private Pod pod(String name, String binding, String requiredVersion) {
    var p = OperatorFixture.pod(ns, name, binding, true);
    if (requiredVersion != null) {
      p.editMetadata()
          .addToAnnotations(ReadinessGate.REQUIRED_VERSION_ANNOTATION, requiredVersion)
          .endMetadata();
    }
    return client.pods().inNamespace(ns).resource(p.build()).create();
  }

  private Optional<PodCondition> gate(String pod) {
    return ReadinessGate.current(client.pods().inNamespace(ns).withName(pod).get());
  }

  private PodCondition awaitGate(String pod, String status, String reason) {
    return Eventually.get(
        pod + " " + ReadinessGate.CONDITION_TYPE + "=" + status + " (" + reason + ")",
        OperatorFixture.WAIT,
        () ->
            gate(pod)
                .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
                .orElse(null));
  }

  private Event awaitPodEvent(String pod, String reason) {
    return OperatorFixture.awaitEvent(client, ns, pod, reason).orElseThrow();
  }

  private void deleteBinding(String name) {
    client.resources(DatabaseBinding.class).inNamespace(ns).withName(name).delete();
    Eventually.until(
        "binding " + name + " gone",
        OperatorFixture.WAIT,
        () -> OperatorFixture.get(client, ns, name) == null);
  }

  @Test
  void deletingABindingReleasesEveryPodGatedOnItWithAnEvent() {
    readyBinding("orders");
    readyBinding("billing");
    pod("ready", "orders", null);
    pod("behind", "orders", "5");
    pod("bystander", "billing", null);
    awaitGate("ready", "True", "Ready");
    awaitGate("behind", "False", "SchemaBehind");
    awaitGate("bystander", "True", "Ready");

    deleteBinding("orders");

    for (String pod : new String[] {"ready", "behind"}) {
      PodCondition c = awaitGate(pod, "True", "BindingDeleted");
      assertThat(c.getMessage())
          .isEqualTo(
              "DatabaseBinding orders was deleted; the gate is released so that the pod is not"
                  + " held unready");
      Event e = awaitPodEvent(pod, "BindingDeleted");
      assertThat(e.getType()).isEqualTo("Normal");
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
      assertThat(e.getMessage()).isEqualTo(c.getMessage());
    }
    assertThat(gate("bystander").orElseThrow().getReason()).isEqualTo("Ready");

    // A pod created after its binding is gone is told so, as a mistyped label would be.
    pod("late", "orders", null);
    awaitGate("late", "False", "BindingNotFound");

    // A binding recreated under the name gates the pods that wait for it; released pods stay
    // released, rather than all leaving their Services until the new binding is Ready.
    readyBinding("orders");
    awaitGate("late", "True", "Ready");
    assertThat(gate("ready").orElseThrow().getReason()).isEqualTo("BindingDeleted");
    assertThat(gate("behind").orElseThrow().getReason()).isEqualTo("BindingDeleted");
    assertThat(
            OperatorFixture.events(client, ns, "ready").stream()
                .filter(e -> "BindingDeleted".equals(e.getReason())))
        .as("one Event per release")
        .hasSize(1);
  }

  @Test
  void aBindingDeletedWhileTheOperatorIsDownReleasesItsPodsWhenItIsBack() {
    readyBinding("orders");
    readyBinding("kept");
    pod("waiting", "orders", "9");
    pod("stays", "kept", "9");
    awaitGate("waiting", "False", "SchemaBehind");
    PodCondition kept = awaitGate("stays", "False", "SchemaBehind");

    operator.close();
    try {
      deleteBinding("orders");
      // No finalizer: the deletion does not wait for the operator.
      assertThat(gate("waiting").orElseThrow().getReason()).isEqualTo("SchemaBehind");
    } finally {
      operator = OperatorFixture.startOperator(client, false, "", "gate-release-test-2");
    }
    long started = System.nanoTime();

    awaitGate("waiting", "True", "BindingDeleted");
    System.out.printf(
        "fault: binding deleted while the operator was down; pod released %d ms after it started%n",
        (System.nanoTime() - started) / 1_000_000);
    assertThat(awaitPodEvent("waiting", "BindingDeleted").getType()).isEqualTo("Normal");
    // A binding that still exists is not taken for a deleted one by the operator starting up.
    assertThat(gate("stays")).contains(kept);
  }

  @Test
  void failOpenAfterReleasesAWaitingPodAfterTheDurationAndNotBefore() throws Exception {
    unreachableBinding("flaky", "3s");
    unreachableBinding("strict", null);
    Instant t0 = Instant.now();
    pod("patient", "flaky", null);
    pod("strict", "strict", null);

    Thread.sleep(Math.max(0, Duration.between(Instant.now(), t0.plusMillis(2_500)).toMillis()));
    Optional<PodCondition> before = gate("patient");
    assertThat(Instant.now()).as("checked before the 3 s were over").isBefore(t0.plusSeconds(3));
    assertThat(before.map(PodCondition::getStatus).orElse("False"))
        .as("2.5 s after creation the gate is still closed")
        .isEqualTo("False");

    PodCondition open = awaitGate("patient", "True", "FailedOpen");
    assertThat(Instant.now()).isAfterOrEqualTo(t0.plusSeconds(3));
    assertThat(open.getMessage())
        .startsWith(
            "The gate was False for longer than spec.readinessGate.failOpenAfter (3s) and is"
                + " open: DatabaseBinding flaky ");
    Event e = awaitPodEvent("patient", "FailedOpen");
    assertThat(e.getType()).isEqualTo("Warning");
    assertThat(e.getMessage()).doesNotContain("s3cret");

    // Without failOpenAfter the gate stays closed.
    assertThat(gate("strict").orElseThrow().getStatus()).isEqualTo("False");
  }

  @Test
  void patchesTouchOnlyTheGateKeepTheTransitionTimeAndSkipWhatIsUnchanged() throws Exception {
    readyBinding("orders");
    pod("app", "orders", "5");
    // Another controller's condition on the same pod, which the gate must leave alone.
    client
        .pods()
        .inNamespace(ns)
        .withName("app")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            """
            {"status":{"conditions":[{"type":"example.com/warm","status":"True",\
            "reason":"Warmed","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}""");
    PodCondition behind = awaitGate("app", "False", "SchemaBehind");
    String since = behind.getLastTransitionTime();

    // A reconcile that finds nothing to change writes nothing.
    Thread.sleep(1_100);
    double writes = gateWrites("SchemaBehind");
    client.pods().inNamespace(ns).withName("app").edit(p -> annotate(p, "touch", "1"));
    String version =
        client.pods().inNamespace(ns).withName("app").get().getMetadata().getResourceVersion();
    Thread.sleep(2_000);
    Pod after = client.pods().inNamespace(ns).withName("app").get();
    assertThat(after.getMetadata().getResourceVersion())
        .as("the unchanged gate was not patched again")
        .isEqualTo(version);
    // The API server would swallow an identical patch without a new resourceVersion: the
    // operator's own count of writes shows that none was sent.
    assertThat(gateWrites("SchemaBehind")).as("patches sent for SchemaBehind").isEqualTo(writes);

    // Another reason, the same status: the transition time is kept.
    client
        .pods()
        .inNamespace(ns)
        .withName("app")
        .edit(p -> annotate(p, ReadinessGate.REQUIRED_VERSION_ANNOTATION, "five"));
    PodCondition invalid = awaitGate("app", "False", "InvalidRequiredVersion");
    assertThat(invalid.getLastTransitionTime()).isEqualTo(since);

    // The status flips: a new transition time.
    client
        .pods()
        .inNamespace(ns)
        .withName("app")
        .edit(p -> annotate(p, ReadinessGate.REQUIRED_VERSION_ANNOTATION, "2"));
    PodCondition ready = awaitGate("app", "True", "Ready");
    assertThat(Instant.parse(ready.getLastTransitionTime())).isAfter(Instant.parse(since));

    Pod last = client.pods().inNamespace(ns).withName("app").get();
    assertThat(last.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("example.com/warm");
              assertThat(c.getReason()).isEqualTo("Warmed");
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
            });
    assertThat(
            last.getStatus().getConditions().stream()
                .filter(c -> ReadinessGate.CONDITION_TYPE.equals(c.getType())))
        .hasSize(1);
  }

  /** {@code dbbinding_gate_updates_total{reason}} of the operator under test. */
  private static double gateWrites(String reason) {
    var counter = operator.metrics().find("dbbinding.gate.updates").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Pod annotate(Pod p, String key, String value) {
    p.getMetadata().getAnnotations().put(key, value);
    return p;
  }
}
