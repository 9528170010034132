package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-binding series as a scrape of /metrics shows them, refreshed from the bindings. */
class BindingMetricsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final BindingMetrics metrics = new BindingMetrics(registry);

  private static DatabaseBinding binding(String name, int failures, Condition... conditions) {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace("shop");
    b.setSpec(new DatabaseBindingSpec());
    DatabaseBindingStatus status = new DatabaseBindingStatus();
    status.setFailures(failures);
    status.setConditions(new ArrayList<>(List.of(conditions)));
    b.setStatus(status);
    return b;
  }

  private static Condition condition(String type, String status, String reason) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
  }

  private List<String> series(String metric) {
    return registry.scrape().lines().filter(l -> l.startsWith(metric + "{")).sorted().toList();
  }

  @Test
  void eachBindingHasItsSeriesSetFromItsStatus() {
    metrics.refresh(
        List.of(
            binding("orders", 0, condition("Ready", "True", "Ready")),
            binding("billing", 3, condition("Ready", "False", "MigrationFailed"))));
    assertThat(series("dbbinding_binding_ready"))
        .containsExactly(
            "dbbinding_binding_ready{name=\"billing\",namespace=\"shop\"} 0.0",
            "dbbinding_binding_ready{name=\"orders\",namespace=\"shop\"} 1.0");
    assertThat(series("dbbinding_binding_failures"))
        .containsExactly(
            "dbbinding_binding_failures{name=\"billing\",namespace=\"shop\"} 3.0",
            "dbbinding_binding_failures{name=\"orders\",namespace=\"shop\"} 0.0");
    assertThat(series("dbbinding_binding_stalled"))
        .containsExactly(
            "dbbinding_binding_stalled{name=\"billing\",namespace=\"shop\",reason=\"Idle\"} 0.0",
            "dbbinding_binding_stalled{name=\"orders\",namespace=\"shop\",reason=\"Idle\"} 0.0");
  }

  @Test
  void aChangedStatusChangesTheValuesAndAStalledReasonReplacesItsSeries() {
    metrics.refresh(List.of(binding("orders", 0, condition("Ready", "True", "Ready"))));
    metrics.refresh(
        List.of(
            binding(
                "orders",
                5,
                condition("Ready", "False", "MigrationFailed"),
                condition("Stalled", "True", "RetryLimitReached"))));
    assertThat(series("dbbinding_binding_ready"))
        .containsExactly("dbbinding_binding_ready{name=\"orders\",namespace=\"shop\"} 0.0");
    assertThat(series("dbbinding_binding_failures"))
        .containsExactly("dbbinding_binding_failures{name=\"orders\",namespace=\"shop\"} 5.0");
    assertThat(series("dbbinding_binding_stalled"))
        .containsExactly(
            "dbbinding_binding_stalled{name=\"orders\",namespace=\"shop\",reason=\"RetryLimitReached\"}"
                + " 1.0");
  }

  @Test
  void aDeletedBindingsSeriesGoWithIt() {
    metrics.refresh(
        List.of(
            binding("orders", 0, condition("Ready", "True", "Ready")),
            binding("billing", 0, condition("Ready", "True", "Ready"))));
    metrics.refresh(List.of(binding("orders", 0, condition("Ready", "True", "Ready"))));
    assertThat(registry.scrape()).doesNotContain("name=\"billing\"");
    assertThat(series("dbbinding_binding_ready"))
        .containsExactly("dbbinding_binding_ready{name=\"orders\",namespace=\"shop\"} 1.0");
    metrics.refresh(List.of());
    assertThat(series("dbbinding_binding_ready")).isEmpty();
    assertThat(series("dbbinding_binding_stalled")).isEmpty();
  }
}
