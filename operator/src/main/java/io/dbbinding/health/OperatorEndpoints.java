package io.dbbinding.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's routes and their bodies: {@code /health}, {@code /health/ready} and {@code
 * /metrics}, as {@link HealthEndpoints} holds the sidecar's.
 *
 * <p>They live here, beside the sidecar's, on the same {@link Router} and {@link Response}. What
 * they report comes in as plain functions, so this package still needs neither the Kubernetes
 * client nor java-operator-sdk nor the operator's packages ({@code arch/PackageRulesTest}): {@code
 * cli/OperatorRuntime} answers them from the running operator, and a test from anything.
 */
public final class OperatorEndpoints {
  private final BooleanSupplier informersSynced;
  private final Supplier<Optional<String>> webhookNotReadyBecause;
  private final Supplier<String> metrics;
  private final Response healthy;
  private final Response readyBody;

  /**
   * @param informersSynced whether the operator has started and all its event sources are healthy
   * @param webhookNotReadyBecause why the gate-injection webhook cannot be called yet; empty when
   *     it can, or when it does not run
   * @param metrics the Prometheus text for {@code /metrics}
   */
  public OperatorEndpoints(
      BooleanSupplier informersSynced,
      Supplier<Optional<String>> webhookNotReadyBecause,
      Supplier<String> metrics) {
    this.informersSynced = informersSynced;
    this.webhookNotReadyBecause = webhookNotReadyBecause;
    this.metrics = metrics;
    this.healthy = operatorBody("healthy");
    this.readyBody = operatorBody("ready");
  }

  public Router router() {
    return new Router()
        .probe("/health", r -> healthy)
        .probe("/health/ready", r -> ready())
        .get("/metrics", r -> Response.text(200, HealthEndpoints.PROMETHEUS_TEXT, metrics.get()));
  }

  Response ready() {
    if (!informersSynced.getAsBoolean()) {
      return Response.detail(503, "Informers not synced");
    }
    // The webhook Service sends AdmissionReviews only to ready replicas.
    // Ready only once the API server can trust its certificate (helm install --wait).
    Optional<String> webhookProblem = webhookNotReadyBecause.get();
    if (webhookProblem.isPresent()) {
      return Response.detail(503, webhookProblem.get());
    }
    return readyBody;
  }

  private static Response operatorBody(String status) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("service", "operator");
    return Response.json(200, body);
  }
}
