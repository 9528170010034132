package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The operator's own metrics: reconciles, their duration, failures by reason, migrations; and, per
 * binding (labels {@code namespace} and {@code name}), what {@code kubectl get dbb} shows, for
 * alerts that name the binding.
 */
public final class BindingMetrics {
  private final MeterRegistry registry;
  private final Timer duration;
  private final Counter migrations;
  private final MultiGauge ready;
  private final MultiGauge stalled;
  private final MultiGauge suspended;
  private final MultiGauge failures;
  private final MultiGauge schemaDrift;
  private final MultiGauge waitingForRollout;
  private final ConcurrentMap<String, Counter> migrationFailures = new ConcurrentHashMap<>();

  public BindingMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duration =
        Timer.builder("dbbinding.reconcile.duration")
            .description("Time one DatabaseBinding reconcile took")
            .register(registry);
    this.migrations =
        Counter.builder("dbbinding.migrations.applied")
            .description("Migrations applied by the operator")
            .register(registry);
    this.ready =
        MultiGauge.builder("dbbinding.binding.ready")
            .description("1 while the binding's Ready condition is True, else 0")
            .register(registry);
    this.stalled =
        MultiGauge.builder("dbbinding.binding.stalled")
            .description(
                "1 while the binding's Stalled condition is True (label reason: its reason), else 0")
            .register(registry);
    this.suspended =
        MultiGauge.builder("dbbinding.binding.suspended")
            .description("1 while the binding's spec.suspend is true, else 0")
            .register(registry);
    this.failures =
        MultiGauge.builder("dbbinding.binding.failures")
            .description("The binding's status.failures: consecutive failed attempts")
            .register(registry);
    this.schemaDrift =
        MultiGauge.builder("dbbinding.binding.schema.drift")
            .description("1 while the binding's SchemaDrift condition is True, else 0")
            .register(registry);
    this.waitingForRollout =
        MultiGauge.builder("dbbinding.binding.waiting.for.rollout")
            .description(
                "1 while a contract step of the binding waits for pods that need an older schema"
                    + " (MigrationsApplied reason WaitingForRollout), else 0")
            .register(registry);
  }

  /** A routine check put off because its database server was busy (see BindingObserver). */
  void deferred() {
    Counter.builder("dbbinding.reconciles.deferred")
        .description("Routine checks put off because their database server was busy")
        .register(registry)
        .increment();
  }

  /**
   * A new drift of a binding's schema (SchemaDrift became True): dbbinding_schema_drift_total. Not
   * per binding, so that nothing is left behind by deleted ones: the per-binding gauge
   * dbbinding_binding_schema_drift names them.
   */
  void schemaDrifted() {
    Counter.builder("dbbinding.schema.drift")
        .description("Schemas found changed outside migrations, each drift once")
        .register(registry)
        .increment();
  }

  void reconciled(DatabaseBinding binding, Observation o, long nanos) {
    duration.record(nanos, TimeUnit.NANOSECONDS);
    Step failure = o.failure();
    Counter.builder("dbbinding.reconciles")
        .description("DatabaseBinding reconciles, by result")
        .tag("result", failure == null ? "ready" : "failed")
        .register(registry)
        .increment();
    if (failure != null) {
      Counter.builder("dbbinding.reconcile.failures")
          .description("Failed DatabaseBinding reconciles, by reason")
          .tag("reason", failure.reason())
          .register(registry)
          .increment();
    }
    migrations.increment(o.applied().size());
    // Registered at 0 on the first reconcile, so that increase() sees the first failure too.
    Counter failed =
        migrationFailures.computeIfAbsent(
            key(binding),
            k ->
                Counter.builder("dbbinding.migration.failures")
                    .description("Failed attempts to apply a binding's migrations")
                    .tags(tags(binding))
                    .register(registry));
    if (failure != null && Reasons.MIGRATION_FAILED.equals(failure.reason())) {
      failed.increment();
    }
  }

  /**
   * Sets the per-binding gauges from the bindings' statuses, as the informer holds them; called
   * before each scrape, so that a deleted binding's series go with it.
   */
  public void refresh(List<DatabaseBinding> bindings) {
    ready.register(rows(bindings, b -> Conditions.isTrue(conditions(b), Reasons.READY)), true);
    stalled.register(
        bindings.stream()
            .map(
                b -> {
                  var c = Conditions.find(conditions(b), Reasons.STALLED);
                  String reason = c.map(Condition::getReason).orElse(Reasons.IDLE);
                  boolean on = c.map(x -> Conditions.TRUE.equals(x.getStatus())).orElse(false);
                  return MultiGauge.Row.of(tags(b).and("reason", reason), on ? 1 : 0);
                })
            .<MultiGauge.Row<?>>map(r -> r)
            .toList(),
        true);
    suspended.register(rows(bindings, b -> b.getSpec() != null && b.getSpec().isSuspend()), true);
    failures.register(
        bindings.stream()
            .<MultiGauge.Row<?>>map(
                b -> MultiGauge.Row.of(tags(b), BindingStatuses.failures(b.getStatus())))
            .toList(),
        true);
    schemaDrift.register(
        rows(bindings, b -> Conditions.isTrue(conditions(b), Reasons.SCHEMA_DRIFT)), true);
    waitingForRollout.register(
        rows(bindings, b -> BindingEvents.waitingForRollout(b.getStatus())), true);
  }

  /** Drops the counters of bindings that are gone. */
  void retain(Stream<DatabaseBinding> current) {
    Set<String> keys = current.map(BindingMetrics::key).collect(Collectors.toSet());
    migrationFailures
        .entrySet()
        .removeIf(
            e -> {
              if (keys.contains(e.getKey())) {
                return false;
              }
              registry.remove(e.getValue());
              return true;
            });
  }

  private static List<MultiGauge.Row<?>> rows(
      List<DatabaseBinding> bindings, Predicate<DatabaseBinding> on) {
    return bindings.stream()
        .<MultiGauge.Row<?>>map(b -> MultiGauge.Row.of(tags(b), on.test(b) ? 1 : 0))
        .toList();
  }

  private static List<Condition> conditions(DatabaseBinding b) {
    return b.getStatus() == null ? null : b.getStatus().getConditions();
  }

  private static Tags tags(DatabaseBinding b) {
    return Tags.of("namespace", b.getMetadata().getNamespace(), "name", b.getMetadata().getName());
  }

  private static String key(DatabaseBinding b) {
    return b.getMetadata().getNamespace() + "/" + b.getMetadata().getName();
  }
}
