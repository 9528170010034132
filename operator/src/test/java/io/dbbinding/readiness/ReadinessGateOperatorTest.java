package io.dbbinding.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.binding.OperatorFixture;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The pod readiness gate on a real API server: what {@code kubectl get pod -o yaml} shows. */
@Tag("integration")
class ReadinessGateOperatorTest {
  private static KubernetesClient client;
  private static OperatorRuntime operator;
  private String ns;

  @BeforeAll
  static void startOperator() {
    client = TestKubernetes.client();
    operator = OperatorFixture.startOperator(client, false, "", "gate-test");
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
  }

  private Pod pod(String name, String binding, boolean gate, String requiredVersion) {
    PodBuilder p = OperatorFixture.pod(ns, name, binding, gate);
    if (requiredVersion != null) {
      p.editMetadata()
          .addToAnnotations(ReadinessGate.REQUIRED_VERSION_ANNOTATION, requiredVersion)
          .endMetadata();
    }
    return client.pods().inNamespace(ns).resource(p.build()).create();
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

  private Optional<PodCondition> gate(String pod) {
    Pod p = client.pods().inNamespace(ns).withName(pod).get();
    return ReadinessGate.current(p);
  }

  @Test
  void podsOfAReadyBindingPassTheGateAndLaterPodsToo() {
    pod("early", "shop", true, null);
    awaitGate("early", "False", "BindingNotFound");

    readyBinding("shop");
    PodCondition c = awaitGate("early", "True", "Ready");
    assertThat(c.getMessage()).contains("shop").contains("version 2");

    pod("late", "shop", true, null);
    awaitGate("late", "True", "Ready");
  }

  @Test
  void theRequiredSchemaVersionAnnotationIsHonoured() {
    readyBinding("inv");
    pod("needs2", "inv", true, "2");
    pod("needs5", "inv", true, "5");
    pod("needsjunk", "inv", true, "five");

    awaitGate("needs2", "True", "Ready");
    PodCondition behind = awaitGate("needs5", "False", "SchemaBehind");
    assertThat(behind.getMessage()).isEqualTo("Schema version 2 is behind required 5");
    awaitGate("needsjunk", "False", "InvalidRequiredVersion");
  }

  @Test
  void podsWithoutTheGateAreLeftAlone() throws InterruptedException {
    readyBinding("free");
    pod("gated", "free", true, null);
    pod("ungated", "free", false, null);
    awaitGate("gated", "True", "Ready");
    Thread.sleep(1_000);
    assertThat(gate("ungated")).isEmpty();
  }
}
