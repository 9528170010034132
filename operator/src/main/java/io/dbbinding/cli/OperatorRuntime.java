package io.dbbinding.cli;

import io.dbbinding.binding.BindingEvents;
import io.dbbinding.binding.BindingMetrics;
import io.dbbinding.binding.BindingReconciler;
import io.dbbinding.binding.InformerCaches;
import io.dbbinding.binding.LockOwners;
import io.dbbinding.binding.PodLiveness;
import io.dbbinding.binding.PostgresBindingDatabase;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.db.ReusableConnections;
import io.dbbinding.db.ServerPermits;
import io.dbbinding.health.Cors;
import io.dbbinding.health.HealthServer;
import io.dbbinding.health.HttpApi;
import io.dbbinding.health.OperatorEndpoints;
import io.dbbinding.migrate.GoneOwners;
import io.dbbinding.migrate.RunName;
import io.dbbinding.readiness.ReadinessGateReconciler;
import io.dbbinding.webhook.CertificatePolicy;
import io.dbbinding.webhook.GateWebhook;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator role assembled, in this one place: the two reconcilers (bindings and readiness
 * gates) on one java-operator-sdk {@link Operator}, both limited to the bindings of {@code
 * BINDING_LABEL_SELECTOR} when set, leader election when asked ({@link Leadership}), the
 * gate-injection webhook when enabled, and the operator's own {@code /health}, {@code
 * /health/ready} and {@code /metrics} ({@link OperatorEndpoints}).
 */
public final class OperatorRuntime implements AutoCloseable {
  private final Operator operator;
  private final HealthServer server;
  private final PrometheusMeterRegistry metrics;
  private final Leadership leadership;
  private final Optional<GateWebhook> webhook;
  private final PostgresBindingDatabase database;

  private OperatorRuntime(
      Operator operator,
      HealthServer server,
      PrometheusMeterRegistry metrics,
      Leadership leadership,
      Optional<GateWebhook> webhook,
      PostgresBindingDatabase database) {
    this.database = database;
    this.operator = operator;
    this.server = server;
    this.metrics = metrics;
    this.leadership = leadership;
    this.webhook = webhook;
  }

  /**
   * Starts the operator; returns once its informers are synced (or, with leader election, once it
   * is waiting for the lease).
   */
  public static OperatorRuntime start(OperatorOptions options) {
    KubernetesClient client = options.client();
    OperatorSettings op = options.operator();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Holds the webhook once it runs; the Lease may be gained before that.
    AtomicReference<GateWebhook> gates = new AtomicReference<>();
    Leadership leadership =
        new Leadership(
            client,
            op,
            options.exitOnLostLease(),
            metrics,
            () -> Optional.ofNullable(gates.get()).ifPresent(GateWebhook::leadershipGained));
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client).withCloseClientOnStop(false);
              leadership.election().ifPresent(o::withLeaderElectionConfiguration);
            });
    BindingEvents events = new BindingEvents(client, op.identity());
    // The replica's sessions are named after its pod, so that a lock it leaves behind when it dies
    // can be released by the next leader once the pod is gone.
    LockOwners owners =
        new LockOwners(
            new RunName(op.leaseNamespace(), op.identity(), ""),
            new PodLiveness(client),
            new GoneOwners(Clock.systemUTC()),
            events);
    ServerPermits permits = new ServerPermits(op.serverConcurrency());
    // A check on a kept connection costs the server a tenth of one on a new backend; a connection
    // unused for 10 s is closed, and any after a minute, so that checks still prove a login works.
    PostgresBindingDatabase database =
        new PostgresBindingDatabase(
            op.databaseTimeout(),
            permits,
            owners,
            new ReusableConnections(permits, Duration.ofSeconds(10), Duration.ofMinutes(1)));
    BindingReconciler bindings =
        new BindingReconciler(
            database,
            events,
            new BindingMetrics(metrics),
            Clock.systemUTC(),
            op.watchLabelSelector());
    operator.register(
        bindings,
        o -> {
          o.withRetry(options.retry());
          watch(o, op);
          // Another release of the operator, with a disjoint selector, reconciles the others.
          if (!op.bindingLabelSelector().isEmpty()) {
            o.withLabelSelector(op.bindingLabelSelector());
          }
        });
    operator.register(
        new ReadinessGateReconciler(Clock.systemUTC(), metrics, op.bindingLabelSelector()),
        o -> watch(o, op));
    OperatorEndpoints endpoints =
        new OperatorEndpoints(
            () ->
                operator.getRuntimeInfo().isStarted()
                    && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
            () -> Optional.ofNullable(gates.get()).flatMap(GateWebhook::notReadyBecause),
            () -> {
              bindings.refreshMetrics();
              return metrics.scrape();
            });
    HealthServer server =
        HealthServer.start(
            new InetSocketAddress(options.port()),
            new HttpApi(endpoints.router(), new Cors(options.settings().allowedOrigins()), metrics),
            HealthServer.maxExchanges(Runtime.getRuntime().maxMemory()));
    Optional<GateWebhook> webhook = Optional.empty();
    try {
      if (options.webhook().enabled()) {
        gates.set(
            GateWebhook.start(
                client,
                options.webhook(),
                op.leaseNamespace(),
                op.watchNamespaces(),
                metrics,
                leadership::leads,
                CertificatePolicy.defaults(),
                Clock.systemUTC()));
        webhook = Optional.of(gates.get());
      }
      operator.start();
    } catch (RuntimeException e) {
      webhook.ifPresent(GateWebhook::close);
      server.stop(Duration.ZERO);
      database.close();
      throw e;
    }
    return new OperatorRuntime(operator, server, metrics, leadership, webhook, database);
  }

  /**
   * Both reconcilers watch the configured namespaces, or all of them, and cache their resources
   * without managed fields, listed a page at a time.
   */
  private static void watch(ControllerConfigurationOverrider<?> o, OperatorSettings op) {
    InformerCaches.configure(o);
    if (!op.watchNamespaces().isEmpty()) {
      o.settingNamespaces(op.watchNamespaces());
    }
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
    leadership.stopping();
    server.stop(Duration.ofSeconds(5));
    webhook.ifPresent(GateWebhook::close);
    operator.stop();
    database.close();
    // Only now that this replica reconciles nothing more may another one lead.
    leadership.handOver();
    metrics.close();
  }
}
