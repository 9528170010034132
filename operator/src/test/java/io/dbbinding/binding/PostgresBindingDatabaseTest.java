package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.ReusableConnections;
import io.dbbinding.db.ServerPermits;
import io.dbbinding.migrate.GoneOwners;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.OwnerLiveness;
import io.dbbinding.migrate.RunName;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator's sessions on a real PostgreSQL with connections kept between them: the next run
 * gets the same backend, reset to how it was opened, named after its binding while it runs and
 * after the replica alone while it waits; a backend the server dropped or a run that failed is
 * never handed out again.
 */
@Tag("integration")
class PostgresBindingDatabaseTest {
  private static final String IDLE_NAME = "dbbinding:ops/operator-0|";
  private static final String RUN_NAME = "dbbinding:ops/operator-0|shop/orders";

  private final DatabaseUrl db = TestDatabases.newDatabase();
  private final ServerPermits permits = new ServerPermits(2);
  private final ReusableConnections connections =
      new ReusableConnections(permits, Duration.ofMinutes(1), Duration.ofMinutes(5));
  private final PostgresBindingDatabase database =
      new PostgresBindingDatabase(
          Duration.ofSeconds(10),
          permits,
          new LockOwners(
              new RunName("ops", "operator-0", ""),
              (ns, pod) -> new OwnerLiveness.Answer(OwnerLiveness.State.ALIVE, "running"),
              new GoneOwners(Clock.systemUTC()),
              new BindingEvents(null, "test")),
          connections);

  @AfterEach
  void closeDatabase() {
    database.close();
  }

  private static DatabaseBinding binding() {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName("orders");
    b.getMetadata().setNamespace("shop");
    return b;
  }

  private static MigrationSource files(String... sql) {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < sql.length; i++) {
      files.put("V" + (i + 1) + "__step.sql", sql[i]);
    }
    return new MigrationFiles(files, List.of("m")).source();
  }

  /** The backends on the test database: "pid name". */
  private List<String> backends() throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = PostgresServer.connect(TestDatabases.server().adminUrl());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT pid, application_name FROM pg_stat_activity WHERE datname = '"
                    + db.database()
                    + "' AND pid <> pg_backend_pid() ORDER BY pid")) {
      while (rs.next()) {
        out.add(rs.getInt(1) + " " + rs.getString(2));
      }
    }
    return out;
  }

  private List<String> quietly() {
    try {
      return backends();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> column(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void theNextRunGetsTheSameBackendResetAndNamedForItsBinding() throws Exception {
    MigrationsSpec spec = new MigrationsSpec();
    // V1 leaves session state behind: a setting, a temporary table, a prepared statement.
    String v1 =
        "CREATE TABLE runs (pid int, name text);\n"
            + "INSERT INTO runs SELECT pg_backend_pid(), current_setting('application_name');\n"
            + "SET myapp.left_behind = 'v1';\n"
            + "CREATE TEMP TABLE scratch (x int);\n"
            + "PREPARE leftover AS SELECT 1;";
    // V2 fails when any of it is still there.
    String v2 =
        "DO $$ BEGIN\n"
            + "  IF coalesce(current_setting('myapp.left_behind', true), '') <> '' THEN\n"
            + "    RAISE EXCEPTION 'a setting was left';\n"
            + "  END IF;\n"
            + "  IF to_regclass('pg_temp.scratch') IS NOT NULL THEN\n"
            + "    RAISE EXCEPTION 'a temporary table was left';\n"
            + "  END IF;\n"
            + "  IF EXISTS (SELECT FROM pg_prepared_statements WHERE name = 'leftover') THEN\n"
            + "    RAISE EXCEPTION 'a prepared statement was left';\n"
            + "  END IF;\n"
            + "END $$;\n"
            + "INSERT INTO runs SELECT pg_backend_pid(), current_setting('application_name');";

    try (BindingDatabase.Session first = database.open(db, spec, binding())) {
      MigrationResult r = first.migrate(files(v1));
      assertThat(r.applied()).hasSize(1);
    }
    assertThat(backends()).singleElement().asString().endsWith(" " + IDLE_NAME);

    try (BindingDatabase.Session second = database.open(db, spec, binding())) {
      assertThat(backends()).singleElement().asString().endsWith(" " + RUN_NAME);
      MigrationResult r = second.migrate(files(v1, v2));
      assertThat(r.applied()).hasSize(1);
    }

    List<String> runs = column("SELECT pid || ' ' || name FROM runs");
    assertThat(runs).hasSize(2).containsOnly(runs.get(0));
    assertThat(runs.get(0)).endsWith(" " + RUN_NAME);
    assertThat(backends()).containsExactly(runs.get(0).split(" ")[0] + " " + IDLE_NAME);
  }

  @Test
  void aKeptBackendTheServerDroppedIsReplacedByANewOne() throws Exception {
    MigrationsSpec spec = new MigrationsSpec();
    try (BindingDatabase.Session first = database.open(db, spec, binding())) {
      first.migrate(files("CREATE TABLE orders (id int);"));
    }
    String kept = backends().get(0).split(" ")[0];
    TestDatabases.server().execute("SELECT pg_terminate_backend(" + kept + ")");
    Eventually.until(
        "the kept backend to end",
        Duration.ofSeconds(10),
        () -> quietly().stream().noneMatch(b -> b.startsWith(kept + " ")));

    try (BindingDatabase.Session second = database.open(db, spec, binding())) {
      assertThat(second.historyAtOpen()).isNotEmpty();
      assertThat(second.historyNow()).contains(second.historyAtOpen());
      assertThat(second.schema("public", "flyway_schema_history").objects().keySet())
          .anyMatch(name -> name.contains("public.orders"));
    }
    assertThat(backends()).singleElement().asString().doesNotStartWith(kept + " ");
  }

  @Test
  void aRunThatFailedClosesItsBackend() throws Exception {
    MigrationsSpec spec = new MigrationsSpec();
    try (BindingDatabase.Session session = database.open(db, spec, binding())) {
      assertThatThrownBy(() -> session.migrate(files("SELECT 1/0;")))
          .hasMessageContaining("division by zero");
    }
    Eventually.until(
        "the failed run's backend to end", Duration.ofSeconds(10), () -> quietly().isEmpty());
    assertThat(connections.kept()).isZero();
  }

  @Test
  void closingTheDatabaseClosesTheKeptBackends() throws Exception {
    try (BindingDatabase.Session session = database.open(db, new MigrationsSpec(), binding())) {
      session.migrate(files("CREATE TABLE orders (id int);"));
    }
    assertThat(backends()).hasSize(1);
    database.close();
    Eventually.until("the kept backend to end", Duration.ofSeconds(10), () -> quietly().isEmpty());
  }
}
