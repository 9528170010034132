package io.dbbinding.health;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.Settings;
import io.dbbinding.db.ConnectionPool;
import io.dbbinding.db.DatabaseProbe;
import io.dbbinding.db.PoolSettings;
import io.dbbinding.migrate.SchemaHistory;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * The sidecar role assembled: pool, bounded probe, coalesced check, routes and server. Closing it
 * stops the server after the requests in flight and then closes the pool.
 */
public final class Sidecar implements AutoCloseable {
  /** Probe waits may overrun the connect time-out by this much (thread hand-over, scheduling). */
  static final Duration WAIT_SLACK = Duration.ofMillis(100);

  private static final int PROBE_WORKERS = 2;

  private final ConnectionPool pool;
  private final DatabaseProbe probe;
  private final HealthServer server;
  private final PrometheusMeterRegistry metrics;
  private final Optional<HeapRelease> heapRelease;

  private Sidecar(
      ConnectionPool pool,
      DatabaseProbe probe,
      HealthServer server,
      PrometheusMeterRegistry metrics,
      Optional<HeapRelease> heapRelease) {
    this.pool = pool;
    this.probe = probe;
    this.server = server;
    this.metrics = metrics;
    this.heapRelease = heapRelease;
  }

  /** Starts on {@code port} (0 picks a free one) against the settings' database. */
  public static Sidecar start(Settings settings, int port) {
    DatabaseUrl url = settings.requireDatabaseUrl();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ConnectionPool pool =
        ConnectionPool.open(
            url, new PoolSettings(settings.poolSize(), settings.connectTimeout()), metrics);
    DatabaseProbe probe =
        new DatabaseProbe(pool::connection, settings.connectTimeout(), PROBE_WORKERS);
    Optional<SchemaHistory> history =
        settings.requiredSchemaVersion().map(v -> SchemaHistory.defaults());
    HealthCheck check =
        new CoalescingCheck(
            new DatabaseCheck(probe, history, metrics),
            settings.healthCacheTtl(),
            settings.connectTimeout().plus(WAIT_SLACK));
    HealthEndpoints endpoints =
        new HealthEndpoints(settings, url.provider().id(), check, metrics::scrape);
    HttpApi api = new HttpApi(endpoints.router(), new Cors(settings.allowedOrigins()), metrics);
    HealthServer server;
    try {
      server =
          HealthServer.start(
              new InetSocketAddress(port),
              api,
              HealthServer.maxExchanges(Runtime.getRuntime().maxMemory()));
    } catch (RuntimeException e) {
      probe.close();
      pool.close();
      throw e;
    }
    return new Sidecar(pool, probe, server, metrics, HeapRelease.of(api).map(HeapRelease::start));
  }

  public int port() {
    return server.port();
  }

  public ConnectionPool pool() {
    return pool;
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() {
    heapRelease.ifPresent(HeapRelease::close);
    server.stop(Duration.ofSeconds(10));
    probe.close();
    pool.close();
    metrics.close();
  }
}
