package io.dbbinding.binding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
  private final ConcurrentMap<String, BindingGauges> gauges = new ConcurrentHashMap<>();
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
   * before each scrape, so that a deleted binding's series go with it. A binding's gauges are
   * registered once and set in place after: a scrape costs a map lookup per binding.
   */
  public synchronized void refresh(List<DatabaseBinding> bindings) {
    Set<String> seen = new java.util.HashSet<>();
    for (DatabaseBinding b : bindings) {
      String key = key(b);
      seen.add(key);
      gauges.computeIfAbsent(key, k -> new BindingGauges(registry, tags(b))).set(b);
    }
    dropAbsent(gauges, seen, BindingGauges::remove);
  }

  /** Drops the counters of bindings that are gone. */
  void retain(Stream<DatabaseBinding> current) {
    Set<String> keys = current.map(BindingMetrics::key).collect(Collectors.toSet());
    dropAbsent(migrationFailures, keys, registry::remove);
  }

  /** Removes the entries whose binding is not among {@code keys}, handing each to {@code gone}. */
  private static <V> void dropAbsent(Map<String, V> byBinding, Set<String> keys, Consumer<V> gone) {
    byBinding
        .entrySet()
        .removeIf(
            e -> {
              if (keys.contains(e.getKey())) {
                return false;
              }
              gone.accept(e.getValue());
              return true;
            });
  }

  private static Tags tags(DatabaseBinding b) {
    return Tags.of("namespace", b.getMetadata().getNamespace(), "name", b.getMetadata().getName());
  }

  private static String key(DatabaseBinding b) {
    return b.getMetadata().getNamespace() + "/" + b.getMetadata().getName();
  }
}
