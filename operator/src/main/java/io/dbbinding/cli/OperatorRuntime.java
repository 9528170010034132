package io.dbbinding.cli;

import io.dbbinding.binding.BindingEvents;
import io.dbbinding.binding.BindingMetrics;
import io.dbbinding.binding.BindingReconciler;
import io.dbbinding.binding.PostgresBindingDatabase;
import io.dbbinding.config.ConfigurationException;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.Settings;
import io.dbbinding.config.WebhookSettings;
import io.dbbinding.db.ServerPermits;
import io.dbbinding.health.Cors;
import io.dbbinding.health.HealthServer;
import io.dbbinding.health.HttpApi;
import io.dbbinding.health.Response;
import io.dbbinding.health.Router;
import io.dbbinding.readiness.ReadinessGateReconciler;
import io.dbbinding.webhook.CertificatePolicy;
import io.dbbinding.webhook.GateWebhook;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator role assembled: the two reconcilers (bindings and readiness gates) on one
 * java-operator-sdk {@link Operator}, leader election when asked, and the operator's own {@code
 * /health}, {@code /health/ready} and {@code /metrics}.
 */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorRuntime.class);

  /**
   * 2 s, 4 s, 8 s, ... up to 5 min between tries (the 8 retries of the default spec.retryLimit take
   * about 8 min). No limit here: each binding's spec.retryLimit decides when its retries stop.
   */
  public static Retry defaultRetry() {
    return new GenericRetry()
        .setInitialInterval(Duration.ofSeconds(2))
        .setIntervalMultiplier(2)
        .setMaxInterval(Duration.ofMinutes(5).toMillis())
        .withoutMaxAttempts();
  }

  private final Operator operator;
  private final HealthServer server;
  private final PrometheusMeterRegistry metrics;
  private final Optional<LeaseHandover> lease;
  private final AtomicBoolean stopping;
  private final Optional<GateWebhook> webhook;

  private OperatorRuntime(
      Operator operator,
      HealthServer server,
      PrometheusMeterRegistry metrics,
      Optional<LeaseHandover> lease,
      AtomicBoolean stopping,
      Optional<GateWebhook> webhook) {
    this.operator = operator;
    this.server = server;
    this.metrics = metrics;
    this.lease = lease;
    this.stopping = stopping;
    this.webhook = webhook;
  }

  /**
   * Another replica may be leading already: stop at once, without the orderly shutdown that would
   * let this one finish what it is doing, and let the Deployment start a fresh replica.
   */
  private static void lostLease(OperatorSettings op) {
    log.atError()
        .setMessage("leader.lease_lost")
        .addKeyValue("lease", op.leaseNamespace() + "/" + op.leaseName())
        .addKeyValue("identity", op.identity())
        .log();
    Runtime.getRuntime().halt(ExitCode.FAILED);
  }

  /**
   * Starts the operator; returns once its informers are synced (or, with leader election, once it
   * is waiting for the lease).
   *
   * @param port the port of the health and metrics endpoints; 0 picks a free one
   */
  public static OperatorRuntime start(
      KubernetesClient client, Settings settings, OperatorSettings op, int port, Retry retry) {
    return start(client, settings, op, port, retry, true);
  }

  /**
   * @param exitOnLostLease whether a replica that loses its Lease exits (to be restarted by its
   *     Deployment, the safe choice in a cluster); tests that run several in one JVM say false
   */
  public static OperatorRuntime start(
      KubernetesClient client,
      Settings settings,
      OperatorSettings op,
      int port,
      Retry retry,
      boolean exitOnLostLease) {
    return start(client, settings, op, WebhookSettings.disabled(), port, retry, exitOnLostLease);
  }

  /**
   * @param webhookSettings the gate-injection webhook: served by every replica when enabled, its
   *     certificates kept by the leader
   */
  public static OperatorRuntime start(
      KubernetesClient client,
      Settings settings,
      OperatorSettings op,
      WebhookSettings webhookSettings,
      int port,
      Retry retry,
      boolean exitOnLostLease) {
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean stopping = new AtomicBoolean();
    // For alerts such as "no replica leads": the sum over replicas should be 1.
    AtomicInteger leading = new AtomicInteger(op.leaderElection() ? 0 : 1);
    Gauge.builder("dbbinding.leader", leading, AtomicInteger::get)
        .description("1 while this replica leads and reconciles, else 0")
        .register(metrics);
    // Holds the webhook once it runs; the leader callback below may fire before that.
    AtomicReference<GateWebhook> gates = new AtomicReference<>();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client).withCloseClientOnStop(false);
              if (op.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        op.leaseName(),
                        op.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        op.identity(),
                        new LeaderCallbacks(
                            () -> {
                              leading.set(1);
                              GateWebhook w = gates.get();
                              if (w != null) {
                                w.leadershipGained();
                              }
                            },
                            () -> {
                              leading.set(0);
                              if (exitOnLostLease && !stopping.get()) {
                                lostLease(op);
                              }
                            },
                            newLeader -> {}),
                        // Not java-operator-sdk's exit: it also fires on a deliberate stop, where
                        // System.exit inside the SIGTERM shutdown blocks until the grace period
                        // ends. lostLease exits only when the Lease is lost while running.
                        false));
              }
            });
    BindingReconciler bindings =
        new BindingReconciler(
            new PostgresBindingDatabase(
                op.databaseTimeout(), new ServerPermits(op.serverConcurrency())),
            new BindingEvents(client, op.identity()),
            new BindingMetrics(metrics),
            Clock.systemUTC(),
            op.watchLabelSelector());
    operator.register(
        bindings,
        o -> {
          o.withRetry(retry);
          if (!op.watchNamespaces().isEmpty()) {
            o.settingNamespaces(op.watchNamespaces());
          }
        });
    operator.register(
        new ReadinessGateReconciler(Clock.systemUTC(), metrics),
        o -> {
          if (!op.watchNamespaces().isEmpty()) {
            o.settingNamespaces(op.watchNamespaces());
          }
        });
    HealthServer server =
        HealthServer.start(
            new InetSocketAddress(port),
            new HttpApi(
                routes(operator, metrics, gates::get, bindings),
                new Cors(settings.allowedOrigins()),
                metrics),
            HealthServer.maxExchanges(Runtime.getRuntime().maxMemory()));
    Optional<GateWebhook> webhook = Optional.empty();
    try {
      if (webhookSettings.enabled()) {
        if (op.leaseNamespace().isEmpty()) {
          throw new ConfigurationException(
              "POD_NAMESPACE is not set; the webhook keeps its certificates in a Secret there"
                  + " (set it from the downward API)");
        }
        gates.set(
            GateWebhook.start(
                client,
                webhookSettings,
                op.leaseNamespace(),
                op.watchNamespaces(),
                metrics,
                () -> leading.get() == 1,
                CertificatePolicy.defaults(),
                Clock.systemUTC()));
        webhook = Optional.of(gates.get());
      }
      operator.start();
    } catch (RuntimeException e) {
      webhook.ifPresent(GateWebhook::close);
      server.stop(Duration.ZERO);
      throw e;
    }
    Optional<LeaseHandover> lease =
        op.leaderElection()
            ? Optional.of(
                new LeaseHandover(
                    client, op.leaseNamespace(), op.leaseName(), op.identity(), Clock.systemUTC()))
            : Optional.empty();
    return new OperatorRuntime(operator, server, metrics, lease, stopping, webhook);
  }

  private static Router routes(
      Operator operator,
      PrometheusMeterRegistry metrics,
      Supplier<GateWebhook> webhook,
      BindingReconciler bindings) {
    return new Router()
        .probe(
            "/health",
            r -> {
              Map<String, String> body = new LinkedHashMap<>();
              body.put("status", "healthy");
              body.put("service", "operator");
              return Response.json(200, body);
            })
        .probe(
            "/health/ready",
            r -> {
              boolean ready =
                  operator.getRuntimeInfo().isStarted()
                      && operator.getRuntimeInfo().allEventSourcesAreHealthy();
              if (!ready) {
                return Response.detail(503, "Informers not synced");
              }
              // The webhook Service sends AdmissionReviews only to ready replicas.
              // Ready only once the API server can trust its certificate (helm install --wait).
              GateWebhook w = webhook.get();
              Optional<String> webhookProblem = w == null ? Optional.empty() : w.notReadyBecause();
              if (webhookProblem.isPresent()) {
                return Response.detail(503, webhookProblem.get());
              }
              Map<String, String> body = new LinkedHashMap<>();
              body.put("status", "ready");
              body.put("service", "operator");
              return Response.json(200, body);
            })
        .get(
            "/metrics",
            r -> {
              bindings.refreshMetrics();
              return Response.text(
                  200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
            });
  }

  public int port() {
    return server.port();
  }

  /** The port of the gate-injection webhook, when it runs. */
  public Optional<Integer> webhookPort() {
    return webhook.map(GateWebhook::port);
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() {
    stopping.set(true);
    server.stop(Duration.ofSeconds(5));
    webhook.ifPresent(GateWebhook::close);
    operator.stop();
    // Only now that this replica reconciles nothing more may another one lead.
    lease.ifPresent(LeaseHandover::release);
    metrics.close();
  }
}
