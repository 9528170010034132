package io.dbbinding.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.binding.DatabaseBindingSpec;
import io.dbbinding.binding.DatabaseBindingStatus;
import io.dbbinding.binding.ReadinessGateSpec;
import io.dbbinding.readiness.GatePolicy.Decision;
import io.dbbinding.readiness.ReadinessGate.Verdict;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gate's release and fail-open rules, on pods and bindings built in memory. */
class GatePolicyTest {
  private static final Instant CREATED = Instant.parse("2026-11-27T10:00:00Z");

  private static Pod pod(String status, String reason, String since) {
    PodBuilder p =
        new PodBuilder()
            .withNewMetadata()
            .withName("app-1")
            .withNamespace("shop")
            .withCreationTimestamp(CREATED.toString())
            .addToLabels(ReadinessGate.BINDING_LABEL, "orders")
            .endMetadata()
            .withNewSpec()
            .addNewReadinessGate(ReadinessGate.CONDITION_TYPE)
            .endSpec();
    if (status != null) {
      p.withNewStatus()
          .addToConditions(
              new PodConditionBuilder()
                  .withType(ReadinessGate.CONDITION_TYPE)
                  .withStatus(status)
                  .withReason(reason)
                  .withMessage("m")
                  .withLastTransitionTime(since)
                  .build())
          .endStatus();
    }
    return p.build();
  }

  private static Pod fresh() {
    return pod(null, null, null);
  }

  private static Optional<DatabaseBinding> binding(boolean ready, String failOpenAfter) {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName("orders");
    b.getMetadata().setNamespace("shop");
    DatabaseBindingSpec spec = new DatabaseBindingSpec();
    if (failOpenAfter != null) {
      ReadinessGateSpec gate = new ReadinessGateSpec();
      gate.setFailOpenAfter(failOpenAfter);
      spec.setReadinessGate(gate);
    }
    b.setSpec(spec);
    DatabaseBindingStatus status = new DatabaseBindingStatus();
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? "Ready" : "Unreachable")
                .withMessage(ready ? "ok" : "The database cannot be reached")
                .build()));
    b.setStatus(status);
    return Optional.of(b);
  }

  private static Verdict at(Pod pod, Optional<DatabaseBinding> binding, Instant now) {
    return GatePolicy.decide(pod, binding, now).verdict();
  }

  @Test
  void aPodWhoseBindingWasSeenAndIsNowGoneIsReleased() {
    Instant now = CREATED.plusSeconds(60);
    for (Pod p :
        List.of(
            pod("False", "BindingNotObserved", CREATED.toString()),
            pod("False", "SchemaBehind", CREATED.toString()),
            pod("True", "Ready", CREATED.toString()),
            pod("True", "FailedOpen", CREATED.toString()))) {
      Verdict v = at(p, Optional.empty(), now);
      assertThat(v.ready()).isTrue();
      assertThat(v.reason()).isEqualTo("BindingDeleted");
      assertThat(v.message())
          .isEqualTo(
              "DatabaseBinding orders was deleted;"
                  + " the gate is released so that the pod is not held unready");
    }
  }

  @Test
  void aPodThatNeverSawItsBindingWaitsForIt() {
    Instant now = CREATED.plusSeconds(3600);
    assertThat(at(fresh(), Optional.empty(), now).reason()).isEqualTo("BindingNotFound");
    Verdict v = at(pod("False", "BindingNotFound", CREATED.toString()), Optional.empty(), now);
    assertThat(v.ready()).isFalse();
    assertThat(v.reason()).isEqualTo("BindingNotFound");
  }

  @Test
  void aReleasedPodStaysReleasedWhenTheBindingComesBack() {
    Pod released = pod("True", "BindingDeleted", CREATED.toString());
    Instant now = CREATED.plusSeconds(60);
    Verdict v = at(released, binding(false, null), now);
    assertThat(v.ready()).isTrue();
    assertThat(v.reason()).isEqualTo("BindingDeleted");
    assertThat(ReadinessGate.shows(released, v)).as("nothing to patch").isTrue();
  }

  @Test
  void failOpenCountsFromCreationForANewPodAndNeverOpensEarly() {
    Optional<DatabaseBinding> failing = binding(false, "3s");
    // Times are whole seconds, rounded down: the pod may have been created up to 1 s later.
    Decision before = GatePolicy.decide(fresh(), failing, CREATED.plusMillis(3_500));
    assertThat(before.verdict().ready()).isFalse();
    assertThat(before.verdict().reason()).isEqualTo("Unreachable");
    assertThat(before.recheckAfter()).contains(Duration.ofMillis(500));

    Decision after = GatePolicy.decide(fresh(), failing, CREATED.plusSeconds(4));
    assertThat(after.verdict().ready()).isTrue();
    assertThat(after.verdict().reason()).isEqualTo("FailedOpen");
    assertThat(after.verdict().message())
        .isEqualTo(
            "The gate was False for longer than spec.readinessGate.failOpenAfter (3s) and is"
                + " open: DatabaseBinding orders is not Ready: The database cannot be reached");
    assertThat(after.recheckAfter()).isEmpty();
  }

  @Test
  void failOpenCountsFromTheLastTurnToFalseForARunningPod() {
    Optional<DatabaseBinding> failing = binding(false, "10m");
    Instant turnedFalse = CREATED.plus(Duration.ofDays(3));
    Pod waiting = pod("False", "Unreachable", turnedFalse.toString());
    assertThat(at(waiting, failing, turnedFalse.plusSeconds(300)).ready()).isFalse();
    assertThat(at(waiting, failing, turnedFalse.plusSeconds(601)).reason()).isEqualTo("FailedOpen");

    // A Ready pod whose binding fails now waits the whole duration from now.
    Pod ready = pod("True", "Ready", CREATED.toString());
    Instant now = CREATED.plus(Duration.ofDays(3));
    Decision d = GatePolicy.decide(ready, failing, now);
    assertThat(d.verdict().ready()).isFalse();
    assertThat(d.recheckAfter()).contains(Duration.ofSeconds(601));
    assertThat(GatePolicy.transitionTime(ready, d.verdict(), now)).isEqualTo(now.toString());
  }

  @Test
  void aPodThatWaitedForABindingNotCreatedYetGivesTheNewBindingItsFullDuration() {
    Pod waitedAnHour = pod("False", "BindingNotFound", CREATED.toString());
    Optional<DatabaseBinding> fresh = binding(false, "10m");
    Instant bindingCreated = CREATED.plus(Duration.ofHours(1));
    fresh.get().getMetadata().setCreationTimestamp(bindingCreated.toString());
    Decision d = GatePolicy.decide(waitedAnHour, fresh, bindingCreated.plusSeconds(2));
    assertThat(d.verdict().ready()).isFalse();
    assertThat(d.recheckAfter()).contains(Duration.ofSeconds(599));
    assertThat(at(waitedAnHour, fresh, bindingCreated.plusSeconds(601)).reason())
        .isEqualTo("FailedOpen");
  }

  @Test
  void aPodFailedOpenStaysOpenUntilTheBindingIsReady() {
    Pod open = pod("True", "FailedOpen", CREATED.toString());
    Instant now = CREATED.plusSeconds(600);
    assertThat(at(open, binding(false, "3s"), now).reason()).isEqualTo("FailedOpen");
    Verdict ready = at(open, binding(true, "3s"), now);
    assertThat(ready.reason()).isEqualTo("Ready");
    assertThat(GatePolicy.transitionTime(open, ready, now))
        .as("True stays True: the transition time is kept")
        .isEqualTo(CREATED.toString());
  }

  @Test
  void withoutFailOpenAfterTheGateWaitsForever() {
    Decision d = GatePolicy.decide(fresh(), binding(false, null), CREATED.plus(Duration.ofDays(9)));
    assertThat(d.verdict().ready()).isFalse();
    assertThat(d.recheckAfter()).isEmpty();
  }

  @Test
  void theTransitionTimeChangesOnlyWhenTheStatusFlips() {
    Instant now = CREATED.plusSeconds(90);
    Pod behind = pod("False", "SchemaBehind", CREATED.plusSeconds(5).toString());
    Verdict stillFalse = new Verdict(false, "InvalidRequiredVersion", "x");
    assertThat(GatePolicy.transitionTime(behind, stillFalse, now))
        .isEqualTo(CREATED.plusSeconds(5).toString());
    Verdict flipped = new Verdict(true, "Ready", "y");
    assertThat(GatePolicy.transitionTime(behind, flipped, now)).isEqualTo(now.toString());
    // The first condition of a pod: False since its creation (a missing gate counts as False).
    assertThat(GatePolicy.transitionTime(fresh(), stillFalse, now)).isEqualTo(CREATED.toString());
    assertThat(GatePolicy.transitionTime(fresh(), flipped, now.plusMillis(700)))
        .isEqualTo(now.toString());
  }
}
