package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes Events on a binding, for {@code kubectl describe dbb}: one when migrations are applied,
 * one when it becomes Ready, one when it starts failing for a new reason, and one when its retries
 * run out (RetryLimitReached). A failure that repeats does not repeat its Event.
 */
public final class BindingEvents {
  private static final Logger log = LoggerFactory.getLogger(BindingEvents.class);

  private final EventWriter events;

  public BindingEvents(KubernetesClient client, String instance) {
    this.events = new EventWriter(client, Clock.systemUTC(), instance);
  }

  /** Emits what changed between {@code before} and {@code after}. */
  public void publish(
      DatabaseBinding binding,
      DatabaseBindingStatus before,
      DatabaseBindingStatus after,
      Observation o) {
    for (String warning : o.lintWarnings()) {
      emit(binding, "Warning", Reasons.UNSAFE_MIGRATION, warning);
    }
    if (!o.applied().isEmpty()) {
      emit(
          binding,
          "Normal",
          Reasons.MIGRATIONS_APPLIED,
          o.waitingForRollout()
              ? "Applied " + String.join(", ", o.applied()) + " before the held contract step"
              : o.migrations().message());
    }
    if (o.waitingForRollout() && !waitingForRollout(before)) {
      emit(binding, "Normal", Reasons.WAITING_FOR_ROLLOUT, o.migrations().message());
    }
    if (DriftOutcome.newlyDrifted(before, after)) {
      DriftOutcome.drifted(after)
          .ifPresent(c -> emit(binding, "Warning", Reasons.SCHEMA_DRIFT, c.getMessage()));
    }
    if (gaveUp(before, after)) {
      Conditions.find(after.getConditions(), Reasons.STALLED)
          .ifPresent(c -> emit(binding, "Warning", Reasons.RETRY_LIMIT_REACHED, c.getMessage()));
    }
    Optional<Condition> was =
        Conditions.find(before == null ? null : before.getConditions(), Reasons.READY);
    Optional<Condition> now = Conditions.find(after.getConditions(), Reasons.READY);
    if (now.isEmpty()) {
      return;
    }
    Condition n = now.get();
    boolean changed =
        was.isEmpty()
            || !was.get().getStatus().equals(n.getStatus())
            || !was.get().getReason().equals(n.getReason());
    if (!changed) {
      return;
    }
    if ("True".equals(n.getStatus())) {
      emit(binding, "Normal", Reasons.READY, n.getMessage());
    } else {
      emit(binding, "Warning", n.getReason(), n.getMessage());
    }
  }

  /**
   * Whether the retries ran out just now: the later checks at checkInterval that fail again find
   * the binding Stalled already and add no Event.
   */
  private static boolean gaveUp(DatabaseBindingStatus before, DatabaseBindingStatus after) {
    return retryLimitReached(after) && !retryLimitReached(before);
  }

  static boolean waitingForRollout(DatabaseBindingStatus s) {
    return Conditions.find(s == null ? null : s.getConditions(), Reasons.MIGRATIONS_APPLIED)
        .filter(c -> Reasons.WAITING_FOR_ROLLOUT.equals(c.getReason()))
        .isPresent();
  }

  private static boolean retryLimitReached(DatabaseBindingStatus s) {
    return Conditions.find(s == null ? null : s.getConditions(), Reasons.STALLED)
        .filter(c -> "True".equals(c.getStatus()))
        .filter(c -> Reasons.RETRY_LIMIT_REACHED.equals(c.getReason()))
        .isPresent();
  }

  void emit(DatabaseBinding binding, String type, String reason, String message) {
    String ns = binding.getMetadata().getNamespace();
    try {
      events.write(binding, type, reason, message);
    } catch (KubernetesClientException e) {
      // An Event is a courtesy: failing to write one must not fail the reconcile.
      log.atWarn()
          .setMessage("binding.event_failed")
          .addKeyValue("binding", ns + "/" + binding.getMetadata().getName())
          .addKeyValue("reason", reason)
          .addKeyValue("code", e.getCode())
          .log();
    }
  }
}
