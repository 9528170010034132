package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One binding's gauges (labels {@code namespace} and {@code name}): registered once, when the
 * binding is first seen, and set in place at each scrape. Re-registering every binding's series at
 * every scrape cost a thousand bindings' operator more CPU and heap than their reconciles did.
 */
final class BindingGauges {
  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private volatile double ready;
  private volatile double suspended;
  private volatile double failures;
  private volatile double schemaDrift;
  private volatile double waitingForRollout;
  private volatile double stalled;
  private String stalledReason;
  private Meter stalledMeter;

  BindingGauges(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
    meters.add(
        gauge(
            "dbbinding.binding.ready",
            "1 while the binding's Ready condition is True, else 0",
            g -> g.ready));
    meters.add(
        gauge(
            "dbbinding.binding.suspended",
            "1 while the binding's spec.suspend is true, else 0",
            g -> g.suspended));
    meters.add(
        gauge(
            "dbbinding.binding.failures",
            "The binding's status.failures: consecutive failed attempts",
            g -> g.failures));
    meters.add(
        gauge(
            "dbbinding.binding.schema.drift",
            "1 while the binding's SchemaDrift condition is True, else 0",
            g -> g.schemaDrift));
    meters.add(
        gauge(
            "dbbinding.binding.waiting.for.rollout",
            "1 while a contract step of the binding waits for pods that need an older schema"
                + " (MigrationsApplied reason WaitingForRollout), else 0",
            g -> g.waitingForRollout));
  }

  /** Sets every gauge from the binding as the informer holds it. */
  synchronized void set(DatabaseBinding b) {
    List<Condition> conditions = b.getStatus() == null ? null : b.getStatus().getConditions();
    ready = bit(Conditions.isTrue(conditions, Reasons.READY));
    suspended = bit(b.getSpec() != null && b.getSpec().isSuspend());
    failures = BindingStatuses.failures(b.getStatus());
    schemaDrift = bit(Conditions.isTrue(conditions, Reasons.SCHEMA_DRIFT));
    waitingForRollout = bit(BindingEvents.waitingForRollout(b.getStatus()));
    var c = Conditions.find(conditions, Reasons.STALLED);
    stalled = bit(c.map(x -> Conditions.TRUE.equals(x.getStatus())).orElse(false));
    String reason = c.map(Condition::getReason).orElse(Reasons.IDLE);
    if (!reason.equals(stalledReason)) {
      // The reason is a label: a new series, and the old one goes.
      if (stalledMeter != null) {
        registry.remove(stalledMeter);
      }
      stalledReason = reason;
      stalledMeter =
          gauge(
              "dbbinding.binding.stalled",
              "1 while the binding's Stalled condition is True (label reason: its reason), else 0",
              tags.and("reason", reason),
              g -> g.stalled);
    }
  }

  /** Takes this binding's series out of the registry: the binding is gone. */
  synchronized void remove() {
    meters.forEach(registry::remove);
    if (stalledMeter != null) {
      registry.remove(stalledMeter);
    }
  }

  private Meter gauge(String name, String description, ToDoubleFunction<BindingGauges> value) {
    return gauge(name, description, tags, value);
  }

  private Meter gauge(
      String name, String description, Tags labels, ToDoubleFunction<BindingGauges> value) {
    return Gauge.builder(name, this, value)
        .description(description)
        .tags(labels)
        .strongReference(true)
        .register(registry);
  }

  private static double bit(boolean on) {
    return on ? 1 : 0;
  }
}
