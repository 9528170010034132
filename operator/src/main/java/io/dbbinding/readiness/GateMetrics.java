package io.dbbinding.readiness;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code dbbinding_gate_updates_total{reason}}: how often the operator wrote a pod's gate, by the
 * reason it wrote. Unchanged conditions are never written, so a steady cluster keeps it flat.
 */
final class GateMetrics {
  private final MeterRegistry registry;

  GateMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void increment(String reason) {
    Counter.builder("dbbinding.gate.updates")
        .description("Pod readiness gate conditions written, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }
}
