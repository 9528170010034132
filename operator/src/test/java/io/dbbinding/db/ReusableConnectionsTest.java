package io.dbbinding.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Connections kept between runs, on a real PostgreSQL: lent again only for the same URL, never more
 * kept and in flight on a server than its permits, closed once idle or old.
 */
@Tag("integration")
class ReusableConnectionsTest {
  private final DatabaseUrl db = TestDatabases.newDatabase();
  private final DatabaseUrl other =
      TestDatabases.server().passwordRole("reuse_other", "s3cret-other", db);
  private final ServerPermits permits = new ServerPermits(2);
  private final AtomicLong now = new AtomicLong();
  private final ReusableConnections connections =
      new ReusableConnections(
          permits, Duration.ofSeconds(10), Duration.ofSeconds(60), now::get, false);
  private final List<ServerPermits.Permit> held = new ArrayList<>();

  @AfterEach
  void close() {
    connections.close();
    held.forEach(ServerPermits.Permit::close);
  }

  private ReusableConnections.Lent borrow(DatabaseUrl url) throws SQLException {
    held.add(permits.acquire(url));
    DataSource fresh = DataSources.unpooled(url, Duration.ofSeconds(10), Duration.ZERO);
    return connections.borrow(url, fresh::getConnection);
  }

  /** Hands {@code lent} back and lets its permit go, as a session's close does. */
  private void giveBack(ReusableConnections.Lent lent) {
    connections.giveBack(lent);
    held.remove(0).close();
  }

  private static int pid(ReusableConnections.Lent lent) throws SQLException {
    try (Statement s = lent.connection().createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static boolean open(Connection c) {
    try {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  @Test
  void aConnectionHandedBackIsLentAgainForTheSameUrlOnly() throws Exception {
    ReusableConnections.Lent first = borrow(db);
    assertThat(first.reused()).isFalse();
    int pid = pid(first);
    giveBack(first);

    ReusableConnections.Lent otherUser = borrow(other);
    assertThat(otherUser.reused()).isFalse();
    assertThat(pid(otherUser)).isNotEqualTo(pid);
    giveBack(otherUser);

    ReusableConnections.Lent again = borrow(db);
    assertThat(again.reused()).isTrue();
    assertThat(pid(again)).isEqualTo(pid);
  }

  /** Two connections to {@code db}, borrowed at once and both handed back: both kept. */
  private List<ReusableConnections.Lent> keptTwo() throws SQLException {
    ReusableConnections.Lent a = borrow(db);
    ReusableConnections.Lent b = borrow(db);
    giveBack(a);
    giveBack(b);
    return List.of(a, b);
  }

  /** Closes {@code lent} instead of keeping it and lets its permit go. */
  private void discard(ReusableConnections.Lent lent) {
    connections.discard(lent);
    held.remove(0).close();
  }

  @Test
  void keptAndInFlightStayWithinTheServersPermits() throws Exception {
    List<ReusableConnections.Lent> two = keptTwo();
    ReusableConnections.Lent a = two.get(0);
    ReusableConnections.Lent b = two.get(1);
    assertThat(connections.kept()).isEqualTo(2);

    // Another user's run on the same server: one of the two kept must go before it opens its own.
    ReusableConnections.Lent c = borrow(other);
    assertThat(connections.kept()).isEqualTo(1);
    assertThat(open(a.connection()) && open(b.connection())).isFalse();
    assertThat(open(c.connection())).isTrue();

    // And with both permits taken, nothing more is kept than what is lent.
    ReusableConnections.Lent d = borrow(db);
    assertThat(d.reused()).isTrue();
    assertThat(connections.kept()).isZero();
    giveBack(c);
    giveBack(d);
    assertThat(connections.kept()).isEqualTo(2);
  }

  @Test
  void aConnectionIdleTooLongOrTooOldIsClosed() throws Exception {
    ReusableConnections.Lent idle = borrow(db);
    giveBack(idle);
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    connections.sweep();
    assertThat(connections.kept()).isEqualTo(1);
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    connections.sweep();
    assertThat(connections.kept()).isZero();
    assertThat(open(idle.connection())).isFalse();

    ReusableConnections.Lent aging = borrow(db);
    assertThat(aging.reused()).isFalse();
    now.addAndGet(Duration.ofSeconds(60).toNanos());
    giveBack(aging);
    assertThat(connections.kept()).isZero();
    assertThat(open(aging.connection())).isFalse();
  }

  @Test
  void aDiscardedReusedConnectionTakesTheOthersKeptForItsUrlWithIt() throws Exception {
    List<ReusableConnections.Lent> two = keptTwo();
    ReusableConnections.Lent reused = borrow(db);
    assertThat(reused.reused()).isTrue();
    discard(reused);
    assertThat(connections.kept()).isZero();
    assertThat(open(two.get(0).connection()) || open(two.get(1).connection())).isFalse();
  }

  @Test
  void aClosedPoolKeepsNothing() throws Exception {
    ReusableConnections.Lent lent = borrow(db);
    connections.close();
    giveBack(lent);
    assertThat(connections.kept()).isZero();
    assertThat(open(lent.connection())).isFalse();
  }

  @Test
  void onlyUrlsWithOneHostAndNoPoolerAreReused() {
    assertThat(ReusableConnections.reusable(DatabaseUrl.parse("postgresql://u:p@db:5432/app")))
        .isTrue();
    assertThat(
            ReusableConnections.reusable(
                DatabaseUrl.parse("postgresql://u:p@db-1:5432,db-2:5432/app")))
        .isFalse();
    assertThat(
            ReusableConnections.reusable(
                DatabaseUrl.parse("postgresql://u:p@db:5432/app?target_session_attrs=read-write")))
        .isFalse();
    assertThat(
            ReusableConnections.reusable(
                DatabaseUrl.parse("postgresql://u:p@db:6432/app?pgbouncer=true")))
        .isFalse();
  }
}
