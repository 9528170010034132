package io.dbbinding.db;

import io.dbbinding.config.DatabaseUrl;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most a fixed number of runs in flight per database server (its hosts, port and database); the
 * rest wait in the order they came. A thousand bindings on one PostgreSQL must not open a thousand
 * connections: its default {@code max_connections} is 100, and the applications need theirs.
 *
 * <p>One fair semaphore per server, kept for the operator's lifetime: servers are few and a
 * semaphore is small.
 */
public final class ServerPermits {
  /** A permit held; closing it lets the next run in. */
  public interface Permit extends AutoCloseable {
    @Override
    void close();
  }

  private final int perServer;
  private final ConcurrentMap<String, Semaphore> servers = new ConcurrentHashMap<>();

  public ServerPermits(int perServer) {
    if (perServer < 1) {
      throw new IllegalArgumentException("at least one run per server, got " + perServer);
    }
    this.perServer = perServer;
  }

  public int perServer() {
    return perServer;
  }

  /**
   * Waits for a turn on {@code url}'s server.
   *
   * @throws DatabaseConnectionError when interrupted while waiting (the operator is stopping)
   */
  public Permit acquire(DatabaseUrl url) {
    Semaphore s = servers.computeIfAbsent(key(url), k -> new Semaphore(perServer, true));
    try {
      s.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatabaseConnectionError("Interrupted while waiting for a turn on the database", e);
    }
    return permit(s);
  }

  /**
   * A turn on {@code url}'s server only if one is free now and nobody waits: for routine checks,
   * which should never hold up new or changed work queued behind them.
   */
  public java.util.Optional<Permit> tryAcquire(DatabaseUrl url) {
    Semaphore s = servers.computeIfAbsent(key(url), k -> new Semaphore(perServer, true));
    // tryAcquire() barges past a fair semaphore's queue; with no time-out it respects it.
    try {
      return s.tryAcquire(0, java.util.concurrent.TimeUnit.SECONDS)
          ? java.util.Optional.of(permit(s))
          : java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  private static Permit permit(Semaphore s) {
    AtomicBoolean held = new AtomicBoolean(true);
    return () -> {
      if (held.compareAndSet(true, false)) {
        s.release();
      }
    };
  }

  /** Runs waiting or in flight on {@code url}'s server, for tests and metrics. */
  public int inFlight(DatabaseUrl url) {
    Semaphore s = servers.get(key(url));
    return s == null ? 0 : perServer - s.availablePermits();
  }

  static String key(DatabaseUrl url) {
    return url.hosts() + "/" + url.database();
  }
}
