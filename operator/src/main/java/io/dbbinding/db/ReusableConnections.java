package io.dbbinding.db;

import io.dbbinding.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Connections a finished run handed back, kept a short while for the next run on the same database
 * with the same credentials. A new PostgreSQL backend costs the server a process and cold catalog
 * caches: with a thousand schemas on one server, opening one per check cost it about ten times the
 * CPU of the check itself (bench/RESULTS.md), which is what bounded a 1,000-binding operator.
 *
 * <p>Per database server (its hosts and database) the connections kept, together with the runs in
 * flight (each holding one of the server's {@link ServerPermits}), stay within the server's
 * permits: reuse never adds a backend an operator opening one per run would not have had open. Kept
 * connections are closed after {@code maxIdle} unused, and every connection after {@code maxAge},
 * so that a check still proves, that often, that a new session can log in (a password or a {@code
 * CONNECT} grant taken away).
 *
 * <p>Only URLs that name one host and no pooler are reused ({@link #reusable(DatabaseUrl)}): with
 * several hosts a kept connection may lead to a server that is no longer the primary, and through a
 * pooler in transaction mode session state is not the session's.
 *
 * <p>The borrower resets what its run changed before handing a connection back ({@code DISCARD
 * ALL}); one it cannot vouch for it closes with {@link #discard}.
 */
public final class ReusableConnections implements AutoCloseable {
  /** How a connection came: reused (which may have gone stale) or new. */
  public record Lent(Connection connection, DatabaseUrl url, boolean reused, long openedAt) {}

  private record Kept(Lent lent, long idleSince) {}

  private final ServerPermits permits;
  private final long maxIdleNanos;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final ScheduledExecutorService sweeper;
  // Guarded by this. Servers are few; each holds at most perServer connections.
  private final Map<String, Deque<Kept>> kept = new HashMap<>();
  private boolean closed;

  /**
   * @param permits the runs in flight per server, each of which borrows while holding one
   * @param maxIdle how long a connection is kept unused
   * @param maxAge how long a connection is used at all
   */
  public ReusableConnections(ServerPermits permits, Duration maxIdle, Duration maxAge) {
    this(permits, maxIdle, maxAge, System::nanoTime, true);
  }

  /** For tests: a clock of their own and no sweeper thread ({@link #sweep()} by hand). */
  ReusableConnections(
      ServerPermits permits,
      Duration maxIdle,
      Duration maxAge,
      LongSupplier nanoTime,
      boolean sweep) {
    this.permits = permits;
    this.maxIdleNanos = maxIdle.toNanos();
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
    if (sweep) {
      this.sweeper =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "idle-connections");
                t.setDaemon(true);
                return t;
              });
      long period = Math.max(1, maxIdle.toMillis() / 2);
      sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    } else {
      this.sweeper = null;
    }
  }

  /** Whether connections to {@code url} may be kept for another run (see the class comment). */
  public static boolean reusable(DatabaseUrl url) {
    return url.hosts().size() == 1
        && !url.transactionPooler()
        && !url.parameters().containsKey("target_session_attrs")
        && !url.parameters().containsKey("targetServerType");
  }

  /**
   * A kept connection to {@code url} when there is one, else a new one from {@code fresh}. Before
   * opening a new one it closes one kept for the same server under other credentials, if keeping it
   * would put the server over its bound. The caller holds one of the server's permits.
   *
   * <p>A lent connection is the borrower's: it hands it back with {@link #giveBack} (before
   * releasing its permit) or {@link #discard}, or simply closes it.
   */
  public Lent borrow(DatabaseUrl url, DatabaseProbe.ConnectionSource fresh) throws SQLException {
    Optional<Lent> reused = takeKept(url);
    if (reused.isPresent()) {
      return reused.get();
    }
    return new Lent(fresh.open(), url, false, nanoTime.getAsLong());
  }

  private Optional<Lent> takeKept(DatabaseUrl url) {
    List<Connection> toClose = new ArrayList<>();
    Optional<Lent> found = Optional.empty();
    synchronized (this) {
      String server = ServerPermits.key(url);
      Deque<Kept> idle = kept.get(server);
      long now = nanoTime.getAsLong();
      if (idle != null) {
        expire(idle, now, toClose);
        // The most recently used first: its caches are the warmest, the oldest expire.
        for (Iterator<Kept> it = idle.descendingIterator(); it.hasNext(); ) {
          Kept k = it.next();
          if (k.lent().url().equals(url)) {
            it.remove();
            found = Optional.of(k.lent());
            break;
          }
        }
        // Runs in flight (this one included) each have or will have a connection.
        while (found.isEmpty() && !idle.isEmpty() && idle.size() + inFlight(url) > perServer()) {
          toClose.add(idle.removeFirst().lent().connection());
        }
      }
    }
    closeAll(toClose);
    return found.map(l -> new Lent(l.connection(), l.url(), true, l.openedAt()));
  }

  /**
   * Keeps {@code connection} for the next run, reset by the borrower; closes it instead when it is
   * too old, the server has enough kept, or this pool is closed.
   */
  public void giveBack(Lent connection) {
    boolean keep;
    synchronized (this) {
      Deque<Kept> idle =
          kept.computeIfAbsent(ServerPermits.key(connection.url()), s -> new ArrayDeque<>());
      long now = nanoTime.getAsLong();
      // inFlight counts this run still: kept afterwards, its connection stays within the bound.
      keep =
          !closed
              && now - connection.openedAt() < maxAgeNanos
              && idle.size() + inFlight(connection.url()) <= perServer();
      if (keep) {
        idle.addLast(new Kept(connection, now));
      }
    }
    if (!keep) {
      closeAll(List.of(connection.connection()));
    }
  }

  /**
   * Closes {@code connection} instead of keeping it: its run failed or could not reset it. A reused
   * connection that failed most likely died with its server, as did the others kept for the same
   * URL: they are closed too.
   */
  public void discard(Lent connection) {
    List<Connection> toClose = new ArrayList<>();
    toClose.add(connection.connection());
    if (connection.reused()) {
      synchronized (this) {
        Deque<Kept> idle = kept.get(ServerPermits.key(connection.url()));
        if (idle != null) {
          removeInto(idle, k -> k.lent().url().equals(connection.url()), toClose);
        }
      }
    }
    closeAll(toClose);
  }

  /** Closes the connections unused for longer than {@code maxIdle} or older than {@code maxAge}. */
  public void sweep() {
    List<Connection> toClose = new ArrayList<>();
    synchronized (this) {
      long now = nanoTime.getAsLong();
      kept.values().forEach(idle -> expire(idle, now, toClose));
      kept.values().removeIf(Deque::isEmpty);
    }
    closeAll(toClose);
  }

  /** Connections kept now, over every server; for tests and metrics. */
  public synchronized int kept() {
    return kept.values().stream().mapToInt(Deque::size).sum();
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    List<Connection> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      kept.values().forEach(idle -> removeInto(idle, k -> true, toClose));
      kept.clear();
    }
    closeAll(toClose);
  }

  private void expire(Deque<Kept> idle, long now, List<Connection> toClose) {
    removeInto(
        idle,
        k -> now - k.idleSince() >= maxIdleNanos || now - k.lent().openedAt() >= maxAgeNanos,
        toClose);
  }

  /** Takes the kept connections that {@code match} out of {@code idle}, to close. */
  private static void removeInto(Deque<Kept> idle, Predicate<Kept> match, List<Connection> out) {
    idle.removeIf(
        k -> {
          boolean m = match.test(k);
          if (m) {
            out.add(k.lent().connection());
          }
          return m;
        });
  }

  private int inFlight(DatabaseUrl url) {
    return permits.inFlight(url);
  }

  private int perServer() {
    return permits.perServer();
  }

  private static void closeAll(List<Connection> connections) {
    for (Connection c : connections) {
      try {
        c.close();
      } catch (SQLException e) {
        // A connection the server already dropped: nothing is left to free.
      }
    }
  }
}
