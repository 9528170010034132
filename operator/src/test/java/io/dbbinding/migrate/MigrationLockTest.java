package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Flyway's migration lock on a real PostgreSQL, held by another session: the key is Flyway's own, a
 * dead run's session is released (after its grace), and nothing else is: not a live run's, not a
 * session that is no run, not one this role may not terminate.
 */
@Tag("integration")
class MigrationLockTest {
  private static final Map<String, String> FILES =
      Map.of("V1__orders.sql", "CREATE TABLE orders (id int);");
  private static final String DEAD_RUN = "dbbinding:shop/orders-migrate-gone|shop/orders";

  private static MigrationSource source() {
    return MigrationSource.inMemory("test", FILES);
  }

  private static Migrator migrator(DatabaseUrl db, MigrationOptions options, LockRelease release) {
    return new Migrator(
        DataSources.unpooled(
            db, Duration.ofSeconds(10), Duration.ZERO, "dbbinding:ops/operator-0|"),
        DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO),
        options,
        MigrationTimeouts.defaults(),
        release);
  }

  private static LockRelease release(
      OwnerLiveness.State state, Duration grace, List<String> events) {
    return new LockRelease(
        (ns, pod) ->
            new OwnerLiveness.Answer(
                state, state == OwnerLiveness.State.GONE ? "no such pod" : "pod phase Running"),
        new GoneOwners(Clock.systemUTC()),
        grace,
        events::add);
  }

  /** A session named {@code applicationName} holding the migration lock of {@code options}. */
  private static Connection holder(DatabaseUrl db, String applicationName, MigrationOptions options)
      throws Exception {
    Connection c = PostgresServer.connect(db);
    try (PreparedStatement s =
        c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
      s.setString(1, applicationName);
      s.executeQuery().close();
    }
    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
      s.setLong(1, MigrationLock.key(options.schema(), options.table()));
      s.executeQuery().close();
    }
    return c;
  }

  private static int pid(Connection c) throws Exception {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static boolean alive(DatabaseUrl db, int pid) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        PreparedStatement q =
            c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
      q.setInt(1, pid);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }

  private static boolean applied(DatabaseUrl db, String schema) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        PreparedStatement q = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      q.setString(1, schema + ".orders");
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  @Test
  void theKeyIsTheOneFlywayLocks() throws Exception {
    for (MigrationOptions options :
        List.of(
            MigrationOptions.defaults(),
            new MigrationOptions("billing", "history", "latest", false))) {
      DatabaseUrl db = TestDatabases.newDatabase();
      // The migration records the advisory locks held while it runs: Flyway's, on its session.
      new Migrator(DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO), options)
          .migrate(
              MigrationSource.inMemory(
                  "probe",
                  Map.of(
                      "V1__probe.sql",
                      "CREATE TABLE seen AS SELECT (classid::bigint << 32) | objid::bigint AS key"
                          + " FROM pg_locks WHERE locktype = 'advisory' AND objsubid = 1"
                          + " AND pid = pg_backend_pid();")));
      try (Connection c = PostgresServer.connect(db);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT key FROM " + options.schema() + ".seen")) {
        assertThat(rs.next()).as("Flyway held an advisory lock").isTrue();
        assertThat(rs.getLong(1)).isEqualTo(MigrationLock.key(options.schema(), options.table()));
      }
    }
  }

  @Test
  void aDeadRunsSessionIsReleasedAfterItsGraceAndTheMigrationApplied() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    MigrationOptions options = MigrationOptions.defaults();
    Connection dead = holder(db, DEAD_RUN, options);
    int pid = pid(dead);
    List<String> events = new CopyOnWriteArrayList<>();
    LockRelease release = release(OwnerLiveness.State.GONE, Duration.ofSeconds(2), events);

    assertThatThrownBy(() -> migrator(db, options, release).migrate(source()))
        .isInstanceOfSatisfying(
            MigrationError.class,
            e -> {
              assertThat(e.reason()).isEqualTo(MigrationError.Reason.MIGRATION_LOCK_HELD);
              assertThat(e.getMessage())
                  .contains(
                      "pid " + pid,
                      DEAD_RUN,
                      "pod shop/orders-migrate-gone is gone",
                      "will be terminated at");
            });
    assertThat(alive(db, pid)).isTrue();
    assertThat(applied(db, "public")).isFalse();

    Eventually.get(
        "the grace to pass and the lock released",
        Duration.ofSeconds(30),
        () -> {
          try {
            return migrator(db, options, release).migrate(source());
          } catch (MigrationError e) {
            return null;
          }
        });
    assertThat(alive(db, pid)).isFalse();
    assertThat(applied(db, "public")).isTrue();
    assertThat(events)
        .singleElement()
        .asString()
        .contains("Terminated session pid " + pid, DEAD_RUN);
    dead.close();
  }

  @Test
  void aLiveRunIsWaitedForAndNamed() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    MigrationOptions options = MigrationOptions.defaults();
    try (Connection live = holder(db, DEAD_RUN, options)) {
      int pid = pid(live);
      assertThatThrownBy(
              () ->
                  migrator(
                          db, options, release(OwnerLiveness.State.ALIVE, Duration.ZERO, List.of()))
                      .migrate(source()))
          .isInstanceOfSatisfying(
              MigrationError.class,
              e ->
                  assertThat(e.getMessage())
                      .contains("pid " + pid, "a running migrator (pod shop/orders-migrate-gone)"));
      assertThat(alive(db, pid)).isTrue();
    }
  }

  @Test
  void aSessionThatIsNoRunIsNeverTerminatedButWaitedFor() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    MigrationOptions options = MigrationOptions.defaults();
    Connection psql = holder(db, "psql", options);
    int pid = pid(psql);
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<MigrationResult> run =
        CompletableFuture.supplyAsync(
            () ->
                migrator(db, options, release(OwnerLiveness.State.GONE, Duration.ZERO, events))
                    .migrate(source()));
    Thread.sleep(2_000); // long enough for a release at zero grace, had it been one
    assertThat(alive(db, pid)).isTrue();
    assertThat(run).isNotDone();
    psql.close();
    assertThat(run.get(60, TimeUnit.SECONDS).applied()).containsExactly("V1__orders.sql");
    assertThat(events).isEmpty();
  }

  @Test
  void aRoleThatMayNotTerminateItIsToldWhichGrantItLacks() throws Exception {
    PostgresServer server = TestDatabases.server();
    DatabaseUrl db = TestDatabases.newDatabase();
    DatabaseUrl migrator = server.passwordRole("orphan_migrator", "m-pw", db);
    DatabaseUrl other = server.passwordRole("orphan_other", "o-pw", db);
    MigrationOptions options =
        new MigrationOptions("app", "flyway_schema_history", "latest", false);
    try (Connection dead = holder(other, DEAD_RUN, options)) {
      int pid = pid(dead);
      assertThatThrownBy(
              () ->
                  migrator(
                          migrator,
                          options,
                          release(OwnerLiveness.State.GONE, Duration.ZERO, List.of()))
                      .migrate(source()))
          .isInstanceOfSatisfying(
              MigrationError.class,
              e -> {
                assertThat(e.reason()).isEqualTo(MigrationError.Reason.MIGRATION_LOCK_HELD);
                assertThat(e.getMessage())
                    .contains(
                        "pid " + pid,
                        "role orphan_migrator may not terminate it",
                        "GRANT pg_signal_backend TO \"orphan_migrator\"",
                        "SELECT pg_terminate_backend(" + pid + ")")
                    .doesNotContain("m-pw", "o-pw");
              });
      assertThat(alive(db, pid)).isTrue();
    }
  }
}
