package io.dbbinding.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Watches, from a connection of its own, which sessions the migration's connection waits for
 * ({@code pg_blocking_pids}), so that a lock time-out can name them: once the statement is
 * cancelled it waits for nothing, and the blocker can no longer be asked for.
 *
 * <p>Its connection runs single statements in autocommit mode: it never holds a transaction (or a
 * snapshot) that a concurrent index build would wait for.
 */
final class BlockerWatch implements AutoCloseable {
  private static final String QUERY =
      "SELECT b.pid, b.application_name, b.state,"
          + " coalesce(extract(epoch FROM clock_timestamp() - b.xact_start)::bigint, -1),"
          + " left(b.query, 100)"
          + " FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(?)) ORDER BY b.xact_start";

  private final DataSource dataSource;
  private final AtomicInteger migrationPid;
  private final Duration connectAfter;
  private final Duration every;
  private final Thread thread;
  private volatile boolean closed;
  private volatile List<Blocker> last = List.of();

  /**
   * @param connectAfter how long a run goes on before the watch connects and looks: most are over
   *     by then
   * @param every how often to look; a fraction of the lock time-out, so that a wait is seen before
   *     it times out
   */
  BlockerWatch(
      DataSource dataSource, AtomicInteger migrationPid, Duration connectAfter, Duration every) {
    this.dataSource = dataSource;
    this.migrationPid = migrationPid;
    this.connectAfter = connectAfter;
    this.every = every;
    this.thread = Thread.ofVirtual().name("migration-blocker-watch").start(this::run);
  }

  /** The blockers seen last (the latest look that found any). */
  List<Blocker> last() {
    return last;
  }

  private void run() {
    Connection c = null;
    try {
      // Most runs are over sooner and never need the watch: a quick migration costs the server
      // one backend, not two. A run still going by then is looked at at once, and at every
      // interval after, well before its lock time-out.
      Thread.sleep(connectAfter);
      while (!closed) {
        try {
          if (c == null) {
            c = dataSource.getConnection();
            c.setAutoCommit(true);
          } else {
            Thread.sleep(every);
          }
          int pid = migrationPid.get();
          if (pid == 0 || closed) {
            continue;
          }
          List<Blocker> now = look(c, pid);
          if (!now.isEmpty()) {
            last = now;
          }
        } catch (SQLException e) {
          // Only the report suffers; a new connection is tried at the next look, so that one
          // failed look does not leave every later lock time-out of the run without its blocker.
          close(c);
          c = null;
          Thread.sleep(every);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      close(c);
    }
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing a connection we no longer need
      }
    }
  }

  private static List<Blocker> look(Connection c, int pid) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(QUERY)) {
      q.setInt(1, pid);
      try (ResultSet rs = q.executeQuery()) {
        List<Blocker> out = new ArrayList<>();
        while (rs.next()) {
          out.add(
              new Blocker(
                  rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5)));
        }
        return out;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
