package io.dbbinding.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a piece of work on a database connection with a hard deadline. The driver's own time-outs
 * count in whole seconds and do not cover every way a network can hang (a host that drops packets),
 * so the work runs on a worker thread and the caller stops waiting at the deadline.
 *
 * <p>The workers are few and bounded: a stuck attempt keeps its thread until the driver's socket
 * time-out frees it, and when all workers are stuck further calls fail at once instead of piling up
 * threads.
 */
public final class DatabaseProbe implements AutoCloseable {
  /** The work: called with an open connection, which it must not close. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Where connections come from: a pool, or a fresh connection each time. */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final ConnectionSource connections;
  private final Duration timeout;
  private final ThreadPoolExecutor workers;

  public DatabaseProbe(ConnectionSource connections, Duration timeout, int maxWorkers) {
    this.connections = connections;
    this.timeout = timeout;
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            0,
            maxWorkers,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "db-probe-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * Runs {@code work} on a connection and returns its result, or throws a {@link DatabaseError}:
   * {@link QueryTimeoutError} when the deadline passes first.
   */
  public <T> T run(Work<T> work) {
    Future<T> future;
    try {
      future =
          workers.submit(
              () -> {
                try (Connection c = connections.open()) {
                  return work.run(c);
                }
              });
    } catch (RejectedExecutionException e) {
      throw new QueryTimeoutError("Every database check is still waiting for the database", e);
    }
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new QueryTimeoutError(
          "The database did not answer within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new DatabaseConnectionError("Interrupted while waiting for the database", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException sql) {
        throw SqlErrors.translate(sql);
      }
      if (cause instanceof DatabaseError dbe) {
        throw dbe;
      }
      throw new DatabaseError("The database check failed unexpectedly", cause);
    }
  }

  /** Threads currently running work, stuck or not; for tests and metrics. */
  public int activeWorkers() {
    return workers.getActiveCount();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
