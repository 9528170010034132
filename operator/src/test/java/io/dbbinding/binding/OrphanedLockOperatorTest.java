package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.awaitEvent;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.conditionMessage;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.events;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.migrate.LockHolderProcess;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FaultProxy;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migrator killed while it holds the migration lock, against a real PostgreSQL and a real
 * kube-apiserver: its session outlives it (as after a node loss, through a proxy that keeps the
 * server's side open), the operator says who holds the lock and that its owner is gone, and once
 * the grace has passed terminates that session, records an Event and applies the migration. A
 * session that is no dbbinding run, and a run whose pod exists, are never terminated; a role that
 * may not terminate the orphan is told which GRANT it lacks.
 */
@Tag("integration")
class OrphanedLockOperatorTest {
  private static final Map<String, String> FILES =
      Map.of("V1__orders.sql", "CREATE TABLE orders (id int);");

  private static KubernetesClient client;
  private static OperatorRuntime operator;
  private String ns;

  @TempDir Path dir;

  @BeforeAll
  static void startOperator() {
    client = TestKubernetes.client();
    operator = OperatorFixture.startOperator(client, false, "", "orphan-operator");
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
    client.close();
  }

  @BeforeEach
  void namespace() {
    ns = TestKubernetes.newNamespace();
  }

  private void bindingWithGrace(DatabaseUrl db, String name, String grace) {
    secret(client, ns, name, db);
    configMap(client, ns, name, FILES);
    DatabaseBinding b = binding(ns, name, name, name);
    b.getSpec().getMigrations().setOrphanedLockGrace(grace);
    // The default retryLimit: waiting for a lock uses up no retries, however long the grace.
    create(client, b);
  }

  /** The backend holding the migration lock under {@code applicationName}; 0 when none. */
  private static int lockHolder(DatabaseUrl db, String applicationName) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        PreparedStatement q =
            c.prepareStatement(
                "SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    + " WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = ?")) {
      q.setString(1, applicationName);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
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

  private static boolean applied(DatabaseUrl db) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        PreparedStatement q =
            c.prepareStatement("SELECT to_regclass('public.orders') IS NOT NULL");
        ResultSet rs = q.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private boolean released(String binding) {
    return events(client, ns, binding).stream()
        .anyMatch(e -> Reasons.ORPHANED_LOCK_RELEASED.equals(e.getReason()));
  }

  /** A migrator process through {@code proxy}, holding the lock; returns once it does. */
  private int lockedByProcess(DatabaseUrl db, FaultProxy proxy, String applicationName)
      throws Exception {
    Process p =
        LockHolderProcess.start(
            proxy.route(db),
            applicationName,
            "public",
            "flyway_schema_history",
            dir.resolve("holder.log"));
    try {
      int pid =
          Eventually.get(
              "the migrator to take the lock",
              OperatorFixture.WAIT,
              () -> {
                try {
                  int holder = lockHolder(db, applicationName);
                  return holder == 0 ? null : holder;
                } catch (Exception e) {
                  return null;
                }
              });
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      return pid;
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void aKilledMigratorsSessionIsReleasedAfterTheGraceAndTheMigrationApplied() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    String name = "dbbinding:" + ns + "/orders-migrate-killed|" + ns + "/orders";
    try (FaultProxy proxy = new FaultProxy(db.primaryHost())) {
      proxy.holdServerSideWhenClientDies();
      int pid = lockedByProcess(db, proxy, name);
      assertThat(alive(db, pid)).as("the killed migrator's session outlives it").isTrue();

      bindingWithGrace(db, "orders", "6s");
      DatabaseBinding held =
          awaitCondition(client, ns, "orders", "MigrationsApplied", "False", "MigrationLockHeld");
      assertThat(conditionMessage(held, "MigrationsApplied"))
          .contains(
              "held by pid " + pid,
              name,
              "owner pod " + ns + "/orders-migrate-killed is gone (no such pod)",
              "will be terminated at");
      assertThat(alive(db, pid)).as("not terminated before the grace").isTrue();
      assertThat(released("orders")).isFalse();

      try {
        awaitCondition(client, ns, "orders", "Ready", "True", "Ready");
      } catch (AssertionError e) {
        System.err.println(
            "DEBUG " + OperatorFixture.get(client, ns, "orders").getStatus().getConditions());
        throw e;
      }
      assertThat(alive(db, pid)).isFalse();
      assertThat(applied(db)).isTrue();
      Event e = awaitEvent(client, ns, "orders", Reasons.ORPHANED_LOCK_RELEASED).orElseThrow();
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage())
          .contains(
              "Terminated session pid " + pid,
              name,
              "connected since",
              "pod " + ns + "/orders-migrate-killed is gone");
    }
  }

  @Test
  void aSessionThatIsNoDbbindingRunIsNeverTerminated() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Connection psql = PostgresServer.connect(db);
    try (PreparedStatement s =
        psql.prepareStatement(
            "SELECT set_config('application_name', 'psql', false), pg_advisory_lock(?)")) {
      s.setLong(1, LockHolderProcess.key("public", "flyway_schema_history"));
      s.executeQuery().close();
    }
    int pid = lockHolder(db, "psql");
    assertThat(pid).isPositive();
    bindingWithGrace(db, "psql", "0");
    // Long enough for a release at a zero grace, had there been one: the lock is not a run's.
    Thread.sleep(5_000);
    assertThat(alive(db, pid)).isTrue();
    assertThat(applied(db)).isFalse();
    assertThat(released("psql")).isFalse();

    psql.close();
    awaitCondition(client, ns, "psql", "Ready", "True", "Ready");
    assertThat(applied(db)).isTrue();
  }

  @Test
  void aRunWhosePodExistsIsNeverTerminatedAndIsReleasedOnceItIsDeleted() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    client
        .pods()
        .inNamespace(ns)
        .resource(OperatorFixture.pod(ns, "orders-migrate-live", "x", false).build())
        .create();
    String name = "dbbinding:" + ns + "/orders-migrate-live|";
    try (FaultProxy proxy = new FaultProxy(db.primaryHost())) {
      proxy.holdServerSideWhenClientDies();
      int pid = lockedByProcess(db, proxy, name);

      bindingWithGrace(db, "live", "0");
      DatabaseBinding held =
          awaitCondition(client, ns, "live", "MigrationsApplied", "False", "MigrationLockHeld");
      assertThat(conditionMessage(held, "MigrationsApplied"))
          .contains("pid " + pid, "a running migrator (pod " + ns + "/orders-migrate-live)");
      Thread.sleep(3_000); // more retries, each finding the pod alive
      assertThat(alive(db, pid)).isTrue();
      assertThat(released("live")).isFalse();

      client.pods().inNamespace(ns).withName("orders-migrate-live").withGracePeriod(0).delete();
      awaitCondition(client, ns, "live", "Ready", "True", "Ready");
      assertThat(alive(db, pid)).isFalse();
      assertThat(released("live")).isTrue();
    }
  }

  @Test
  void aRoleThatMayNotTerminateTheOrphanIsToldWhichGrantItLacks() throws Exception {
    PostgresServer server = TestDatabases.server();
    DatabaseUrl admin = TestDatabases.newDatabase();
    DatabaseUrl app = server.passwordRole("orphan_op_app", "app-pw-1", admin);
    DatabaseUrl other = server.passwordRole("orphan_op_other", "other-pw-1", admin);
    String name = "dbbinding:" + ns + "/orders-migrate-gone|";
    try (Connection dead = PostgresServer.connect(other);
        PreparedStatement s =
            dead.prepareStatement(
                "SELECT set_config('application_name', ?, false), pg_advisory_lock(?)")) {
      s.setString(1, name);
      s.setLong(2, LockHolderProcess.key("app", "flyway_schema_history"));
      s.executeQuery().close();
      int pid = lockHolder(admin, name);

      secret(client, ns, "grant", app);
      configMap(client, ns, "grant", FILES);
      DatabaseBinding b = binding(ns, "grant", "grant", "grant");
      b.getSpec().getMigrations().setSchema("app");
      b.getSpec().getMigrations().setOrphanedLockGrace("0");
      create(client, b);

      DatabaseBinding held =
          Eventually.get(
              "the missing privilege named",
              OperatorFixture.WAIT,
              () -> {
                DatabaseBinding now = OperatorFixture.get(client, ns, "grant");
                return now.getStatus() != null
                        && Conditions.find(now.getStatus().getConditions(), "MigrationsApplied")
                            .filter(c -> c.getMessage().contains("may not terminate"))
                            .isPresent()
                    ? now
                    : null;
              });
      assertThat(OperatorFixture.condition(held, "MigrationsApplied"))
          .isEqualTo("False/MigrationLockHeld");
      assertThat(conditionMessage(held, "MigrationsApplied"))
          .contains(
              "pid " + pid,
              "role orphan_op_app may not terminate it",
              "GRANT pg_signal_backend TO \"orphan_op_app\"",
              "SELECT pg_terminate_backend(" + pid + ")")
          .doesNotContain("app-pw-1", "other-pw-1");
      assertThat(alive(admin, pid)).isTrue();
      assertThat(released("grant")).isFalse();
    }
  }
}
