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
import java.util.concurrent.atomic.AtomicReference;

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
    return await(future);
  }

  private <T> T await(Future<T> future) {
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

  /**
   * A connection opened and checked by {@code check}, for work that goes on with it.
   *
   * @param connection open; the caller closes it
   * @param value what the check returned
   */
  public record Opened<T>(Connection connection, T value) {}

  /**
   * Opens a connection and runs {@code check} on it within the deadline, and hands the connection
   * over still open. A connection that arrives after the caller stopped waiting is closed by the
   * worker, never leaked.
   */
  public <T> Opened<T> open(Work<T> check) {
    AtomicReference<Object> handover = new AtomicReference<>();
    Future<Opened<T>> future;
    try {
      future =
          workers.submit(
              () -> {
                Connection c = connections.open();
                Opened<T> opened;
                try {
                  opened = new Opened<>(c, check.run(c));
                } catch (SQLException | RuntimeException e) {
                  c.close();
                  throw e;
                }
                if (!handover.compareAndSet(null, opened)) {
                  c.close(); // the caller gave up waiting
                }
                return opened;
              });
    } catch (RejectedExecutionException e) {
      throw new QueryTimeoutError("Every database check is still waiting for the database", e);
    }
    try {
      return await(future);
    } catch (DatabaseError e) {
      if (handover.compareAndSet(null, ABANDONED)) {
        throw e;
      }
      @SuppressWarnings("unchecked") // only the worker puts anything else there: an Opened<T>
      Opened<T> arrived = (Opened<T>) handover.get();
      return arrived;
    }
  }

  private static final Object ABANDONED = new Object();

  /** Threads currently running work, stuck or not; for tests and metrics. */
  public int activeWorkers() {
    return workers.getActiveCount();
  }

  @Override
  public void close() {
    workers.shutdownNow();
  }
}
