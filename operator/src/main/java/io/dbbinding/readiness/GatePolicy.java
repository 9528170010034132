package io.dbbinding.readiness;

import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.binding.Durations;
import io.dbbinding.readiness.ReadinessGate.Verdict;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What the gate of one pod should show now, beyond what the binding says: the release of pods whose
 * binding was deleted, and the fail-open of pods that waited longer than the binding allows.
 *
 * <p><b>Release on deletion, without a finalizer.</b> The pod's own gate condition is the memory: a
 * condition whose reason is anything but {@code BindingNotFound} was written while the binding
 * existed, so when that binding is gone the pod was gated on a binding that has since been deleted,
 * and it is released ({@code BindingDeleted}). The binding informer's delete event reaches the pods
 * through the label index at once; an operator that was down during the deletion finds the same
 * pods when it starts, because every labelled pod is reconciled then (java-operator-sdk starts
 * reconciling only once every informer, the bindings' too, has synced, so a binding that exists is
 * never mistaken for a deleted one at start-up). A finalizer on the binding would cover one more
 * case (a pod created, and its binding deleted, while the operator was down, so that the pod never
 * had a condition) but costs more than it gives: {@code kubectl delete dbb} would hang while the
 * operator is down, a namespace whose operator was uninstalled could never be deleted, and a
 * binding could not be recreated under its name until the old one was finalized.
 *
 * <p>A released pod stays released, even when a binding of the same name appears again: gating it
 * anew would take every running pod of the application out of its Services until the new binding is
 * Ready. Pods created later are gated on the new binding. A pod created after its binding is gone
 * is indistinguishable from a pod with a mistyped label and keeps {@code BindingNotFound}: a typo
 * must not pass a gate silently.
 *
 * <p><b>Fail-open.</b> {@code spec.readinessGate.failOpenAfter} counts from the moment the gate
 * turned False: the pod's creation for a new pod (Kubernetes treats a gate condition that is not
 * there yet as False, so that is when it started waiting), or the last transition from True to
 * False for a running pod whose binding stopped being Ready. So a pod is never held unready longer
 * than that at a stretch, and a pod that has been running for days still gets the full grace period
 * when its binding fails. A pod that waited for a binding not created yet counts from the binding's
 * creation instead. A pod failed open stays True while the binding is not Ready; once it is Ready
 * the reason becomes Ready, and a later failure starts a new wait.
 */
final class GatePolicy {
  /** What to show, and when to look again even if nothing changes (the fail-open deadline). */
  record Decision(Verdict verdict, Optional<Duration> recheckAfter) {
    static Decision of(Verdict verdict) {
      return new Decision(verdict, Optional.empty());
    }
  }

  private GatePolicy() {}

  static Decision decide(Pod pod, Optional<DatabaseBinding> binding, Instant now) {
    Optional<PodCondition> current = ReadinessGate.current(pod);
    if (current
        .filter(c -> isTrue(c) && ReadinessGate.BINDING_DELETED.equals(c.getReason()))
        .isPresent()) {
      return Decision.of(shown(current.get()));
    }
    String name = ReadinessGate.bindingName(pod).orElse("");
    if (binding.isEmpty()) {
      boolean sawBinding =
          current.filter(c -> !ReadinessGate.BINDING_NOT_FOUND.equals(c.getReason())).isPresent();
      return Decision.of(
          sawBinding
              ? new Verdict(
                  true,
                  ReadinessGate.BINDING_DELETED,
                  "DatabaseBinding "
                      + name
                      + " was deleted; the gate is released so that the pod is not held unready")
              : ReadinessGate.evaluate(pod, binding));
    }
    Verdict verdict = ReadinessGate.evaluate(pod, binding);
    Optional<Duration> failOpen = failOpenAfter(binding.get());
    if (verdict.ready() || failOpen.isEmpty()) {
      return Decision.of(verdict);
    }
    if (current
        .filter(c -> isTrue(c) && ReadinessGate.FAILED_OPEN.equals(c.getReason()))
        .isPresent()) {
      return Decision.of(shown(current.get()));
    }
    Instant falseSince =
        current.isEmpty()
            ? created(pod, now)
            : current.filter(c -> !isTrue(c)).map(c -> time(c, now)).orElse(now);
    // A pod that waited for a binding that did not exist yet gives the new binding its full
    // failOpenAfter: the setting belongs to the binding, and it needs a moment to become Ready.
    Instant bindingCreated =
        parse(binding.get().getMetadata().getCreationTimestamp()).orElse(Instant.EPOCH);
    Instant since = falseSince.isAfter(bindingCreated) ? falseSince : bindingCreated;
    // Kubernetes keeps these times in whole seconds, rounded down: the wait really began up to a
    // second later, and the gate must never open before failOpenAfter has passed.
    Instant deadline = since.plus(failOpen.get()).plusSeconds(1);
    if (!now.isBefore(deadline)) {
      return Decision.of(
          new Verdict(
              true,
              ReadinessGate.FAILED_OPEN,
              "The gate was False for longer than spec.readinessGate.failOpenAfter ("
                  + binding.get().getSpec().getReadinessGate().getFailOpenAfter()
                  + ") and is open: "
                  + verdict.message()));
    }
    return new Decision(verdict, Optional.of(Duration.between(now, deadline)));
  }

  /**
   * The {@code lastTransitionTime} to write with {@code verdict}: kept while the status stays the
   * same; the pod's creation when the first condition written is False (the gate was False since
   * then); now on a flip.
   */
  static String transitionTime(Pod pod, Verdict verdict, Instant now) {
    String status = verdict.ready() ? "True" : "False";
    Optional<PodCondition> current = ReadinessGate.current(pod);
    if (current.isPresent() && status.equals(current.get().getStatus())) {
      String kept = current.get().getLastTransitionTime();
      if (kept != null) {
        return kept;
      }
    }
    Instant at = current.isEmpty() && !verdict.ready() ? created(pod, now) : now;
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static Optional<Duration> failOpenAfter(DatabaseBinding binding) {
    if (binding.getSpec() == null || binding.getSpec().getReadinessGate() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        Durations.parse(binding.getSpec().getReadinessGate().getFailOpenAfter(), null));
  }

  private static Verdict shown(PodCondition c) {
    return new Verdict(isTrue(c), c.getReason(), c.getMessage());
  }

  private static boolean isTrue(PodCondition c) {
    return "True".equals(c.getStatus());
  }

  private static Instant time(PodCondition c, Instant fallback) {
    return parse(c.getLastTransitionTime()).orElse(fallback);
  }

  private static Instant created(Pod pod, Instant fallback) {
    return parse(pod.getMetadata().getCreationTimestamp()).orElse(fallback);
  }

  private static Optional<Instant> parse(String time) {
    if (time == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
