package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The classic outage, on a real PostgreSQL: a session holds a lock on a table in an open
 * transaction, a migration altering the table queues for its ACCESS EXCLUSIVE lock, and every
 * reader queues behind the migration. With the lock time-out the readers wait at most that long.
 */
@Tag("integration")
class LockTimeoutTest {
  /** 1 s keeps the test short; {@code -Ddbbinding.test.lockTimeout=5s} measures the default. */
  private static final Duration LOCK_TIMEOUT =
      MigrationTimeouts.parse(
          "lock timeout", System.getProperty("dbbinding.test.lockTimeout", "1s"));

  private static final Map<String, String> FILES = files();

  private static Map<String, String> files() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("V1__orders.sql", "CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), (2);");
    f.put("V2__orders_note.sql", "ALTER TABLE orders ADD COLUMN note text;");
    return f;
  }

  private static Migrator migrator(DatabaseUrl db, Duration lockTimeout, boolean reportBlockers) {
    return new Migrator(
        DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO),
        MigrationOptions.defaults(),
        new MigrationTimeouts(lockTimeout, Duration.ZERO, reportBlockers));
  }

  private static DatabaseUrl migratedToV1() {
    DatabaseUrl db = TestDatabases.newDatabase();
    migrator(db, LOCK_TIMEOUT, true)
        .migrate(
            MigrationSource.inMemory("t", Map.of("V1__orders.sql", FILES.get("V1__orders.sql"))));
    return db;
  }

  /** A session that read the table in a transaction it has not ended: it holds ACCESS SHARE. */
  private static Connection blocker(DatabaseUrl db) throws Exception {
    Connection c = PostgresServer.connect(db);
    try (Statement s = c.createStatement()) {
      s.execute("SET application_name = 'nightly-report'");
      c.setAutoCommit(false);
      s.executeQuery("SELECT count(*) FROM orders /* nightly report */").close();
    }
    return c;
  }

  /** Reads the table again and again from a third session; the slowest read is the result. */
  private static final class Readers implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong worstMs = new AtomicLong();
    private final Future<?> loop;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    Readers(DatabaseUrl db) {
      loop =
          thread.submit(
              () -> {
                try (Connection c = PostgresServer.connect(db);
                    Statement s = c.createStatement()) {
                  s.execute("SET application_name = 'app-reader'");
                  while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
                      rs.next();
                    }
                    worstMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
                    Thread.sleep(20);
                  }
                }
                return null;
              });
    }

    long worstMs() {
      return worstMs.get();
    }

    @Override
    public void close()
        throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
      stop.set(true);
      try {
        loop.get(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        thread.shutdownNow();
      }
    }
  }

  @Test
  void readersWaitNoLongerThanTheLockTimeoutAndTheBlockerIsNamed() throws Exception {
    DatabaseUrl db = migratedToV1();
    long worst;
    try (Connection blocker = blocker(db);
        Readers readers = new Readers(db)) {
      Thread.sleep(300);
      assertThatThrownBy(
              () -> migrator(db, LOCK_TIMEOUT, true).migrate(MigrationSource.inMemory("t", FILES)))
          .isInstanceOfSatisfying(
              MigrationError.class,
              e -> {
                assertThat(e.reason()).isEqualTo(MigrationError.Reason.LOCK_TIMEOUT);
                assertThat(e.getMessage())
                    .contains(
                        "V2__orders_note.sql could not get a lock within the lock timeout ("
                            + MigrationTimeouts.shown(LOCK_TIMEOUT)
                            + ")")
                    .contains("in 4 tries")
                    .contains("application_name 'nightly-report'")
                    .contains("state 'idle in transaction'")
                    .contains("transaction open ")
                    .contains("query 'SELECT count(*) FROM orders /* nightly report */'");
              });
      worst = readers.worstMs();
      System.out.printf(
          "readers' worst latency with lock_timeout %s: %d ms%n",
          MigrationTimeouts.shown(LOCK_TIMEOUT), worst);
      assertThat(worst).isLessThan(LOCK_TIMEOUT.toMillis() + 1_000);
      blocker.commit();
    }
    MigrationResult r =
        migrator(db, LOCK_TIMEOUT, true).migrate(MigrationSource.inMemory("t", FILES));
    assertThat(r.applied()).containsExactly("V2__orders_note.sql");
    assertThat(
            MigratorTest.query(
                db, "SELECT version FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactly("1", "2");
    assertThat(
            MigratorTest.query(
                db,
                "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'note'"))
        .containsExactly("1");
  }

  @Test
  void withReportBlockersOffTheQueryIsNotShown() throws Exception {
    DatabaseUrl db = migratedToV1();
    try (Connection blocker = blocker(db)) {
      assertThatThrownBy(
              () ->
                  migrator(db, Duration.ofMillis(300), false)
                      .migrate(MigrationSource.inMemory("t", FILES)))
          .isInstanceOfSatisfying(
              MigrationError.class,
              e ->
                  assertThat(e.getMessage())
                      .contains("application_name 'nightly-report'")
                      .doesNotContain("query")
                      .doesNotContain("nightly report */"));
      blocker.rollback();
    }
  }

  /**
   * Without a lock time-out the readers queue behind the waiting migration until the blocker ends:
   * shown, not asserted, as the contrast to the test above.
   */
  @Test
  void withoutALockTimeoutReadersWaitUntilTheBlockerEnds() throws Exception {
    DatabaseUrl db = migratedToV1();
    long heldMs = 4_000;
    ExecutorService run = Executors.newSingleThreadExecutor();
    try (Connection blocker = blocker(db);
        Readers readers = new Readers(db)) {
      Thread.sleep(300);
      Future<MigrationResult> migration =
          run.submit(
              () ->
                  migrator(db, Duration.ZERO, true).migrate(MigrationSource.inMemory("t", FILES)));
      Thread.sleep(heldMs);
      blocker.commit();
      assertThat(migration.get(60, TimeUnit.SECONDS).applied())
          .containsExactly("V2__orders_note.sql");
      Thread.sleep(200);
      System.out.printf(
          "readers' worst latency without lock_timeout: %d ms (the blocker ended %d ms after the"
              + " migration started)%n",
          readers.worstMs(), heldMs);
    } finally {
      run.shutdownNow();
    }
  }

  @Test
  void aMigrationThatWaitsForNothingNeverOpensTheBlockerWatchsConnection() {
    DatabaseUrl db = TestDatabases.newDatabase();
    javax.sql.DataSource server = DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO);
    java.util.concurrent.atomic.AtomicInteger watchConnections =
        new java.util.concurrent.atomic.AtomicInteger();
    javax.sql.DataSource watch =
        (javax.sql.DataSource)
            java.lang.reflect.Proxy.newProxyInstance(
                javax.sql.DataSource.class.getClassLoader(),
                new Class<?>[] {javax.sql.DataSource.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getConnection")) {
                    watchConnections.incrementAndGet();
                  }
                  return method.invoke(server, args);
                });
    MigrationResult result =
        new Migrator(
                server,
                watch,
                MigrationOptions.defaults(),
                new MigrationTimeouts(Duration.ofSeconds(5), Duration.ZERO, true))
            .migrate(MigrationSource.inMemory("t", FILES));
    assertThat(result.applied()).containsExactly("V1__orders.sql", "V2__orders_note.sql");
    assertThat(watchConnections.get())
        .as("a run over within half its lock time-out (at most 1 s) costs the server one backend")
        .isZero();
  }
}
