package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.SettingSource;
import io.dbbinding.db.DataSources;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FaultProxy;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dbbinding wait} against a real PostgreSQL, as an init container runs it. */
@Tag("integration")
class WaitCliTest {
  private static final String PASSWORD = "Wait-Pass-7";

  @TempDir Path dir;

  /** One run's output, both streams. */
  private record Run(int code, String out, String err) {
    String lastLine() {
      String all = (out + err).strip();
      return all.substring(all.lastIndexOf('\n') + 1);
    }
  }

  private Run run(Map<String, String> env, String... args) {
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();
    int code =
        Main.run(
            new CliContext(
                SettingSource.of(env), dir, new PrintWriter(out, true), new PrintWriter(err, true)),
            args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Map<String, String> env(DatabaseUrl db) {
    return Map.of("DATABASE_URL", PostgresServer.rawUrl(db));
  }

  /** Applies the migrations of {@code files} (name to SQL) as the database's owner. */
  private void migrate(DatabaseUrl db, Map<String, String> files) throws Exception {
    Path folder = Files.createTempDirectory(dir, "m");
    for (var f : files.entrySet()) {
      Files.writeString(folder.resolve(f.getKey()), f.getValue());
    }
    new Migrator(
            DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO),
            MigrationOptions.defaults())
        .migrate(MigrationSource.folders(List.of(folder)));
  }

  private static List<String> relations(DatabaseUrl db) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname NOT IN"
                    + " ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  /**
   * A login role that may read the history table and nothing else of the schema: if {@code wait}
   * read anything else, PostgreSQL would refuse it.
   */
  private static DatabaseUrl historyReader(DatabaseUrl db, String role) throws Exception {
    DatabaseUrl url = TestDatabases.server().passwordRole(role, PASSWORD, db);
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      s.execute("GRANT USAGE ON SCHEMA public TO " + role);
      s.execute("GRANT SELECT ON public.flyway_schema_history TO " + role);
    }
    return url;
  }

  @Test
  void exitsZeroOnceAMigrationAppliedMeanwhileBringsTheVersionInFlywayOrder() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    migrate(
        db,
        Map.of(
            "V1_9__a.sql", "CREATE TABLE a (id int);",
            "V1_2__private.sql", "CREATE TABLE private_data (secret text);"));
    DatabaseUrl reader = historyReader(db, "waiter_ok");
    List<String> before = relations(db);

    StringWriter out = new StringWriter();
    CompletableFuture<Integer> waiting =
        CompletableFuture.supplyAsync(
            () ->
                Main.run(
                    new CliContext(
                        SettingSource.of(env(reader)),
                        dir,
                        new PrintWriter(out, true),
                        new PrintWriter(out, true)),
                    "wait",
                    "--schema-version",
                    "1.10",
                    "--timeout",
                    "60s",
                    "--interval",
                    "200ms"));
    Eventually.until(
        "wait reports 1.9",
        Duration.ofSeconds(20),
        () -> out.toString().contains("Schema version 1.9 is behind required 1.10"));
    Thread.sleep(500);
    assertThat(waiting).as("1.9 is below 1.10 in Flyway's order").isNotDone();

    migrate(
        db,
        Map.of(
            "V1_9__a.sql", "CREATE TABLE a (id int);",
            "V1_2__private.sql", "CREATE TABLE private_data (secret text);",
            "V1_10__b.sql", "SELECT 1;"));

    assertThat(waiting.get(20, TimeUnit.SECONDS)).isZero();
    String text = out.toString();
    assertThat(text)
        .startsWith(
            "Waiting up to 60s for schema version 1.10 in public.flyway_schema_history of"
                + " postgresql://waiter_ok:****@")
        .containsPattern("Schema version 1\\.10 reached \\(required 1\\.10\\) after \\d+ s\\n$")
        .doesNotContain(PASSWORD);
    assertThat(text.strip().lines()).as("it logs little").hasSizeLessThanOrEqualTo(3);
    assertThat(relations(db)).as("wait created nothing").isEqualTo(before);

    // Already there: exit 0 at once.
    Run again = run(env(reader), "wait", "--schema-version", "1.2");
    assertThat(again.code()).isZero();
    assertThat(again.lastLine()).isEqualTo("Schema version 1.10 reached (required 1.2) after 0 s");
  }

  @Test
  void exitsOneAtTheTimeoutWithOneLineSayingWhereTheSchemaStands() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    migrate(db, Map.of("V3__a.sql", "CREATE TABLE a (id int);"));
    Run behind =
        run(
            env(historyReader(db, "waiter_behind")),
            "wait",
            "--schema-version",
            "5",
            "--timeout",
            "1s",
            "--interval",
            "200ms");
    assertThat(behind.code()).isEqualTo(1);
    assertThat(behind.lastLine())
        .isEqualTo("dbbinding: timed out after 1s: schema version 3 is behind required 5");
    assertThat(behind.err().strip().lines()).hasSize(1);

    // No history table yet: waited for, and not created.
    DatabaseUrl empty = TestDatabases.newDatabase();
    Run none =
        run(env(empty), "wait", "--schema-version", "1", "--timeout", "1s", "--interval", "300ms");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.lastLine())
        .isEqualTo(
            "dbbinding: timed out after 1s: no schema version yet (nothing applied in"
                + " public.flyway_schema_history), required 1");
    assertThat(relations(empty)).isEmpty();
  }

  @Test
  void anUnreachableDatabaseIsWaitedThroughAndNamedInTheLastLine() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    migrate(db, Map.of("V2__a.sql", "CREATE TABLE a (id int);"));
    DatabaseUrl reader = historyReader(db, "waiter_down");
    try (FaultProxy proxy = new FaultProxy(db.primaryHost())) {
      proxy.cutAndRefuse();
      Run down =
          run(
              env(proxy.route(reader)),
              "wait",
              "--schema-version",
              "2",
              "--timeout",
              "1s",
              "--interval",
              "200ms");
      assertThat(down.code()).isEqualTo(1);
      assertThat(down.lastLine())
          .matches(
              "dbbinding: timed out after 1s: the database could not be read since \\S+Z \\(The"
                  + " database cannot be reached \\(SQLSTATE 08001\\)\\); the schema version was"
                  + " never read, required 2");
      assertThat(down.out() + down.err()).doesNotContain(PASSWORD);

      // Down at first, then up: the wait goes on and ends well.
      StringWriter out = new StringWriter();
      CompletableFuture<Integer> waiting =
          CompletableFuture.supplyAsync(
              () ->
                  Main.run(
                      new CliContext(
                          SettingSource.of(env(proxy.route(reader))),
                          dir,
                          new PrintWriter(out, true),
                          new PrintWriter(out, true)),
                      "wait",
                      "--schema-version",
                      "2",
                      "--timeout",
                      "60s",
                      "--interval",
                      "200ms"));
      Eventually.until(
          "wait reports the database down",
          Duration.ofSeconds(20),
          () -> out.toString().contains("cannot be reached"));
      proxy.pass();
      assertThat(waiting.get(30, TimeUnit.SECONDS)).isZero();
      assertThat(out.toString())
          .contains("The database cannot be reached (SQLSTATE 08001); waiting for it\n")
          .contains("Schema version 2 reached (required 2)");
    }
  }

  @Test
  void theExampleJobsInitContainerPassesOnceTheExampleMigrationsAreApplied() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    new Migrator(
            DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO),
            MigrationOptions.defaults())
        .migrate(
            MigrationSource.folders(
                List.of(Path.of("..", "examples", "migrations").toAbsolutePath().normalize())));
    List<String> args;
    try (KubernetesClient offline = new KubernetesClientBuilder().build();
        InputStream in =
            Files.newInputStream(Path.of("..", "examples", "init-container", "report-job.yaml"))) {
      Job job = offline.batch().v1().jobs().load(in).item();
      args = job.getSpec().getTemplate().getSpec().getInitContainers().get(0).getArgs();
    }
    Run run = run(env(db), args.toArray(String[]::new));
    assertThat(run.code()).isZero();
    assertThat(run.lastLine()).startsWith("Schema version 3 reached (required 3)");
  }

  @Test
  void badUsageIsExitTwoWithOneLine() throws Exception {
    Map<String, String> env =
        Map.of("DATABASE_URL", "postgresql://127.0.0.1:" + FreePorts.any() + "/db");
    assertThat(run(env, "wait").code()).isEqualTo(2);
    Run version = run(env, "wait", "--schema-version", "five");
    assertThat(version.code()).isEqualTo(2);
    assertThat(version.err().strip())
        .isEqualTo(
            "dbbinding: --schema-version: 'five' is not a version; expected numbers separated by"
                + " dots, such as 1.2");
    Run timeout = run(env, "wait", "--schema-version", "5", "--timeout", "10x");
    assertThat(timeout.code()).isEqualTo(2);
    assertThat(timeout.err().strip())
        .isEqualTo("dbbinding: --timeout must be a duration such as 30s, 10m or 1h30m, got '10x'");
    Run noUrl = run(Map.of(), "wait", "--schema-version", "5");
    assertThat(noUrl.code()).isEqualTo(2);
    assertThat(noUrl.err()).contains("DATABASE_URL");
    assertThat(noUrl.out()).isEmpty();
  }
}
