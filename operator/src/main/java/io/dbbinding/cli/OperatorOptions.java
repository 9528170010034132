package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.Settings;
import io.dbbinding.config.WebhookSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link OperatorRuntime#start} runs with. {@link #of} holds the production defaults, in this
 * one place; a test or a bench changes what it needs with a wither.
 *
 * @param client the cluster; the runtime uses it and never closes it
 * @param settings the settings every role shares (the port, the endpoints' allowed origins)
 * @param operator namespaces, leader election, identity and database time-out
 * @param webhook the gate-injection webhook: served by every replica when enabled, its certificates
 *     kept by the leader
 * @param port the port of {@code /health}, {@code /health/ready} and {@code /metrics}; 0 picks a
 *     free one
 * @param retry the backoff between a binding's failed reconciles
 * @param exitOnLostLease whether a replica that loses its Lease exits (to be restarted by its
 *     Deployment, the safe choice in a cluster); tests that run several in one JVM say false
 */
public record OperatorOptions(
    KubernetesClient client,
    Settings settings,
    OperatorSettings operator,
    WebhookSettings webhook,
    int port,
    Retry retry,
    boolean exitOnLostLease) {

  public OperatorOptions {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(webhook, "webhook");
    Objects.requireNonNull(retry, "retry");
    requireWebhookNamespace(operator, webhook);
  }

  /**
   * As {@code dbbinding operator} runs: on the settings' port, with the production backoff, no
   * webhook, and an exit when the Lease is lost.
   */
  public static OperatorOptions of(
      KubernetesClient client, Settings settings, OperatorSettings operator) {
    return new OperatorOptions(
        client,
        settings,
        operator,
        WebhookSettings.disabled(),
        settings.port(),
        productionRetry(),
        true);
  }

  /**
   * The webhook keeps its certificates in a Secret in the operator's own namespace: without one it
   * cannot run. Checked before anything starts.
   */
  public static void requireWebhookNamespace(OperatorSettings operator, WebhookSettings webhook) {
    if (webhook.enabled() && operator.leaseNamespace().isEmpty()) {
      throw new ConfigurationException(
          "POD_NAMESPACE is not set; the webhook keeps its certificates in a Secret there"
              + " (set it from the downward API, or WEBHOOK_ENABLED=false)");
    }
  }

  public OperatorOptions withWebhook(WebhookSettings webhook) {
    return new OperatorOptions(client, settings, operator, webhook, port, retry, exitOnLostLease);
  }

  public OperatorOptions withPort(int port) {
    return new OperatorOptions(client, settings, operator, webhook, port, retry, exitOnLostLease);
  }

  public OperatorOptions withRetry(Retry retry) {
    return new OperatorOptions(client, settings, operator, webhook, port, retry, exitOnLostLease);
  }

  public OperatorOptions withExitOnLostLease(boolean exitOnLostLease) {
    return new OperatorOptions(client, settings, operator, webhook, port, retry, exitOnLostLease);
  }

  /**
   * 2 s, 4 s, 8 s, ... up to 5 min between tries (the 8 retries of the default spec.retryLimit take
   * about 8 min). No limit here: each binding's spec.retryLimit decides when its retries stop.
   */
  private static Retry productionRetry() {
    return new GenericRetry()
        .setInitialInterval(Duration.ofSeconds(2))
        .setIntervalMultiplier(2)
        .setMaxInterval(Duration.ofMinutes(5).toMillis())
        .withoutMaxAttempts();
  }
}
