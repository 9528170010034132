package io.dbbinding.cli;

import io.dbbinding.binding.BindingEvents;
import io.dbbinding.binding.BindingMetrics;
import io.dbbinding.binding.BindingReconciler;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.Settings;
import io.dbbinding.health.Cors;
import io.dbbinding.health.HealthServer;
import io.dbbinding.health.HttpApi;
import io.dbbinding.health.Response;
import io.dbbinding.health.Router;
import io.dbbinding.readiness.ReadinessGateReconciler;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator role assembled: the two reconcilers (bindings and readiness gates) on one
 * java-operator-sdk {@link Operator}, leader election when asked, and the operator's own {@code
 * /health}, {@code /health/ready} and {@code /metrics}.
 */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorRuntime.class);

  /** 2 s, 4 s, 8 s, ... up to 5 min between tries; Stalled after 8 failures (about 8 min). */
  public static Retry defaultRetry() {
    return new GenericRetry()
        .setInitialInterval(Duration.ofSeconds(2))
        .setIntervalMultiplier(2)
        .setMaxInterval(Duration.ofMinutes(5).toMillis())
        .setMaxAttempts(8);
  }

  private final Operator operator;
  private final HealthServer server;
  private final PrometheusMeterRegistry metrics;
  private final Optional<LeaseHandover> lease;
  private final AtomicBoolean stopping;

  private OperatorRuntime(
      Operator operator,
      HealthServer server,
      PrometheusMeterRegistry metrics,
      Optional<LeaseHandover> lease,
      AtomicBoolean stopping) {
    this.operator = operator;
    this.server = server;
    this.metrics = metrics;
    this.lease = lease;
    this.stopping = stopping;
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
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean stopping = new AtomicBoolean();
    // For alerts such as "no replica leads": the sum over replicas should be 1.
    AtomicInteger leading = new AtomicInteger(op.leaderElection() ? 0 : 1);
    Gauge.builder("dbbinding.leader", leading, AtomicInteger::get)
        .description("1 while this replica leads and reconciles, else 0")
        .register(metrics);
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
                            () -> leading.set(1),
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
            op.databaseTimeout(),
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
            new HttpApi(routes(operator, metrics), new Cors(settings.allowedOrigins()), metrics),
            4);
    try {
      operator.start();
    } catch (RuntimeException e) {
      server.stop(Duration.ZERO);
      throw e;
    }
    Optional<LeaseHandover> lease =
        op.leaderElection()
            ? Optional.of(
                new LeaseHandover(
                    client, op.leaseNamespace(), op.leaseName(), op.identity(), Clock.systemUTC()))
            : Optional.empty();
    return new OperatorRuntime(operator, server, metrics, lease, stopping);
  }

  private static Router routes(Operator operator, PrometheusMeterRegistry metrics) {
    return new Router()
        .get(
            "/health",
            r -> {
              Map<String, String> body = new LinkedHashMap<>();
              body.put("status", "healthy");
              body.put("service", "operator");
              return Response.json(200, body);
            })
        .get(
            "/health/ready",
            r -> {
              boolean ready =
                  operator.getRuntimeInfo().isStarted()
                      && operator.getRuntimeInfo().allEventSourcesAreHealthy();
              if (!ready) {
                return Response.detail(503, "Informers not synced");
              }
              Map<String, String> body = new LinkedHashMap<>();
              body.put("status", "ready");
              body.put("service", "operator");
              return Response.json(200, body);
            })
        .get(
            "/metrics",
            r -> Response.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
  }

  public int port() {
    return server.port();
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() {
    stopping.set(true);
    server.stop(Duration.ofSeconds(5));
    operator.stop();
    // Only now that this replica reconciles nothing more may another one lead.
    lease.ifPresent(LeaseHandover::release);
    metrics.close();
  }
}
