package io.dbbinding.binding;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The operator's own metrics: reconciles, their duration, failures by reason, migrations. */
public final class BindingMetrics {
  private final MeterRegistry registry;
  private final Timer duration;
  private final Counter migrations;

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

  void reconciled(Observation o, long nanos) {
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
  }
}
