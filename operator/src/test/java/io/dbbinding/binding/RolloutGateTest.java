package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.migrate.ContractStep;
import io.dbbinding.migrate.SchemaVersion;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure policy of contract steps, and what pods and ReplicaSets declare to it. */
class RolloutGateTest {
  private static final ContractStep V3 =
      new ContractStep("V3__drop_name.sql", SchemaVersion.parse("3"), SchemaVersion.parse("2"));
  private static final ContractStep V5 =
      new ContractStep("V5__drop_more.sql", SchemaVersion.parse("5"), SchemaVersion.parse("4"));

  private static DeclaredVersion pods(String workload, String version, int n) {
    return new DeclaredVersion(workload, version, n);
  }

  @Test
  void withNoGatedPodsEveryStepIsReleased() {
    RolloutGate.Decision d = RolloutGate.decide(List.of(V3, V5), List.of());
    assertThat(d.waiting()).isFalse();
    assertThat(d.released()).containsExactly(V3, V5);
  }

  @Test
  void aPodBelowTheExpandVersionHoldsTheStepAndIsNamed() {
    RolloutGate.Decision d =
        RolloutGate.decide(
            List.of(V3),
            List.of(
                pods("Deployment shop", "1", 1),
                pods("Deployment shop", "1", 1),
                pods("Deployment shop", "2", 1),
                pods("pod debug", "1.5", 1)));
    assertThat(d.held()).contains(V3);
    assertThat(d.released()).isEmpty();
    assertThat(d.message())
        .isEqualTo(
            "Contract step V3__drop_name.sql waits for the rollout: every pod must declare schema"
                + " version 2 or later; still older: Deployment shop (2 pods at version 1), pod"
                + " debug (1 pod at version 1.5)");
  }

  @Test
  void podsAtOrAboveTheExpandVersionHoldNothing() {
    RolloutGate.Decision d =
        RolloutGate.decide(
            List.of(V3), List.of(pods("Deployment shop", "2", 3), pods("pod new", "3", 1)));
    assertThat(d.waiting()).isFalse();
  }

  @Test
  void aLaterStepCanBeHeldAfterAnEarlierOneIsReleased() {
    RolloutGate.Decision d =
        RolloutGate.decide(List.of(V3, V5), List.of(pods("Deployment shop", "3", 2)));
    assertThat(d.released()).containsExactly(V3);
    assertThat(d.held()).contains(V5);
  }

  @Test
  void aStepWithoutExpandVersionWaitsOnNothing() {
    ContractStep first = new ContractStep("V1__drop.sql", SchemaVersion.parse("1"), null);
    assertThat(RolloutGate.decide(List.of(first), List.of(pods("pod a", "0", 1))).waiting())
        .isFalse();
  }

  @Test
  void theSamePodsGiveTheSameMessageInAnyOrder() {
    List<DeclaredVersion> a = List.of(pods("pod b", "1", 1), pods("Deployment a", "1", 2));
    List<DeclaredVersion> b = List.of(a.get(1), a.get(0));
    assertThat(RolloutGate.decide(List.of(V3), a).message())
        .isEqualTo(RolloutGate.decide(List.of(V3), b).message());
  }

  private static PodBuilder pod(String name, String version) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(GatedPods.BINDING_LABEL, "shop")
        .addToAnnotations(GatedPods.REQUIRED_VERSION_ANNOTATION, version)
        .endMetadata();
  }

  @Test
  void aPodOfAReplicaSetIsNamedByItsDeployment() {
    Pod p =
        pod("shop-7d9c5b-x2x", "1")
            .editMetadata()
            .addToLabels("pod-template-hash", "7d9c5b")
            .addNewOwnerReference()
            .withKind("ReplicaSet")
            .withName("shop-7d9c5b")
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .build();
    assertThat(DeclaredVersion.ofPod(p)).contains(new DeclaredVersion("Deployment shop", "1", 1));
  }

  @Test
  void aPodOfAStatefulSetOrNoneIsNamedAsSuch() {
    Pod s =
        pod("db-0", "1_0")
            .editMetadata()
            .addNewOwnerReference()
            .withKind("StatefulSet")
            .withName("db")
            .endOwnerReference()
            .endMetadata()
            .build();
    assertThat(DeclaredVersion.ofPod(s)).contains(new DeclaredVersion("StatefulSet db", "1.0", 1));
    assertThat(DeclaredVersion.ofPod(pod("debug", "1").build()))
        .contains(new DeclaredVersion("pod debug", "1", 1));
  }

  @Test
  void finishedPodsAndPodsWithoutAVersionDeclareNothingButTerminatingOnesDo() {
    assertThat(
            DeclaredVersion.ofPod(
                pod("job", "1").withNewStatus().withPhase("Succeeded").endStatus().build()))
        .isEmpty();
    assertThat(
            DeclaredVersion.ofPod(
                pod("crashed", "1").withNewStatus().withPhase("Failed").endStatus().build()))
        .isEmpty();
    assertThat(
            DeclaredVersion.ofPod(
                pod("going", "1")
                    .editMetadata()
                    .withDeletionTimestamp("2026-12-05T08:00:00Z")
                    .endMetadata()
                    .withNewStatus()
                    .withPhase("Running")
                    .endStatus()
                    .build()))
        .isPresent();
    assertThat(DeclaredVersion.ofPod(pod("bad", "two").build())).isEmpty();
    assertThat(
            DeclaredVersion.ofPod(
                new PodBuilder().withNewMetadata().withName("plain").endMetadata().build()))
        .isEmpty();
  }

  private static ReplicaSet replicaSet(int replicas, String version) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName("shop-5f6d7")
        .addNewOwnerReference()
        .withKind("Deployment")
        .withName("shop")
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewTemplate()
        .withNewMetadata()
        .addToAnnotations(GatedPods.REQUIRED_VERSION_ANNOTATION, version)
        .endMetadata()
        .endTemplate()
        .endSpec()
        .build();
  }

  @Test
  void aReplicaSetCountsOnlyWhileItWantsPods() {
    assertThat(DeclaredVersion.ofReplicaSet(replicaSet(2, "1")))
        .contains(new DeclaredVersion("Deployment shop (ReplicaSet shop-5f6d7)", "1", 2));
    assertThat(DeclaredVersion.ofReplicaSet(replicaSet(0, "1"))).isEmpty();
  }
}
