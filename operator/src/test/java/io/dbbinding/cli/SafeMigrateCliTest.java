package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbbinding migrate} as a separate process on migrations that are hard on a live database:
 * concurrent index builds, lock waits, INVALID indexes. Every run has a time limit: a hang is a
 * failure, never a stuck build.
 */
@Tag("integration")
class SafeMigrateCliTest {
  private static final long LIMIT_SECONDS = 90;

  @TempDir Path dir;

  /** What one run of the CLI did. */
  record Run(int exitCode, String output) {}

  private Run migrate(DatabaseUrl db, Path location, String... more) throws Exception {
    Path log = Files.createTempFile(dir, "migrate", ".log");
    List<String> args = new ArrayList<>(List.of("migrate", "--location", location.toString()));
    args.addAll(List.of(more));
    ProcessBuilder pb = CliProcess.builder(log, args.toArray(String[]::new));
    pb.environment().put("DATABASE_URL", PostgresServer.rawUrl(db));
    pb.environment().put("LOG_FORMAT", "text");
    Process p = pb.start();
    try {
      assertThat(p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS))
          .as("migrate finished within %d s; output so far:%n%s", LIMIT_SECONDS, read(log))
          .isTrue();
    } finally {
      p.destroyForcibly();
    }
    return new Run(p.exitValue(), read(log));
  }

  private static String read(Path log) throws java.io.IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private Path folder(String name, String... fileThenSql) throws Exception {
    Path f = Files.createDirectories(dir.resolve(name));
    for (int i = 0; i < fileThenSql.length; i += 2) {
      Files.writeString(f.resolve(fileThenSql[i]), fileThenSql[i + 1]);
    }
    return f;
  }

  static String one(DatabaseUrl db, String sql) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void aConcurrentIndexBuildIsAppliedAndTheProcessExits() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m =
        folder(
            "cic",
            "V1__t.sql",
            "CREATE TABLE t (id int);\nINSERT INTO t SELECT generate_series(1, 1000);\n",
            "V2__t_idx.sql",
            "CREATE INDEX CONCURRENTLY t_idx ON t (id);\n");
    Run run = migrate(db, m);
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("Applied V2__t_idx.sql");
    assertThat(
            one(db, "SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_idx'::regclass"))
        .isEqualTo("true");
  }

  @Test
  void aLockTimeoutIsExitOneNamingTheBlockerAndTheRunAfterItEndsApplies() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m =
        folder(
            "lock",
            "V1__orders.sql",
            "CREATE TABLE orders (id int);\n",
            "V2__note.sql",
            "ALTER TABLE orders ADD COLUMN note text;\n");
    assertThat(migrate(db, m, "--target", "1").exitCode()).isZero();
    try (Connection blocker = PostgresServer.connect(db);
        Statement s = blocker.createStatement()) {
      s.execute("SET application_name = 'nightly-report'");
      blocker.setAutoCommit(false);
      s.executeQuery("SELECT count(*) FROM orders").close();

      Run timedOut = migrate(db, m, "--lock-timeout", "500ms");
      assertThat(timedOut.exitCode()).as(timedOut.output()).isEqualTo(1);
      assertThat(timedOut.output())
          .contains("dbbinding: V2__note.sql could not get a lock within the lock timeout (500ms)")
          .contains("application_name 'nightly-report'")
          .contains("state 'idle in transaction'")
          .contains("query 'SELECT count(*) FROM orders'");
      blocker.commit();
    }
    Run after = migrate(db, m);
    assertThat(after.exitCode()).as(after.output()).isZero();
    assertThat(after.output()).contains("Applied V2__note.sql");
    assertThat(
            one(
                db,
                "SELECT string_agg(version, ',' ORDER BY installed_rank) FROM flyway_schema_history"))
        .isEqualTo("1,2");
  }

  @Test
  void anInvalidIndexIsExitOneNamingItAndHowToDropIt() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m =
        folder(
            "invalid",
            "V1__emails.sql",
            "CREATE TABLE emails (address text);\nINSERT INTO emails VALUES ('a@x'), ('a@x');\n",
            "V2__emails_unique.sql",
            "CREATE UNIQUE INDEX CONCURRENTLY emails_address ON emails (address);\n");
    Run failed = migrate(db, m);
    assertThat(failed.exitCode()).as(failed.output()).isEqualTo(1);
    assertThat(failed.output()).contains("V2__emails_unique.sql failed").contains("23505");

    Run invalid = migrate(db, m);
    assertThat(invalid.exitCode()).as(invalid.output()).isEqualTo(1);
    assertThat(invalid.output())
        .contains("V2__emails_unique.sql: index \"public\".\"emails_address\" is INVALID")
        .contains("DROP INDEX CONCURRENTLY \"public\".\"emails_address\";");

    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM emails WHERE ctid <> (SELECT min(ctid) FROM emails)");
      s.execute("DROP INDEX CONCURRENTLY emails_address");
    }
    Run fixed = migrate(db, m);
    assertThat(fixed.exitCode()).as(fixed.output()).isZero();
    assertThat(
            one(
                db,
                "SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank) FROM flyway_schema_history"))
        .isEqualTo("1:true,2:true");
  }

  @Test
  void aMixedFileIsExitOneSayingToSplitIt() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m =
        folder(
            "mixed",
            "V1__t.sql",
            "CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n");
    Run run = migrate(db, m);
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains("V1__t.sql mixes CREATE INDEX CONCURRENTLY (line 2)")
        .contains("split the file");
    assertThat(one(db, "SELECT to_regclass('public.t') IS NULL")).isEqualTo("t");
  }

  @Test
  void aBadLockTimeoutIsExitTwoInOneLine() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path m = folder("bad", "V1__t.sql", "CREATE TABLE t (id int);\n");
    Run run = migrate(db, m, "--lock-timeout", "soon");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output().strip())
        .isEqualTo(
            "dbbinding: --lock-timeout must be a duration such as 5s, 500ms or 1m, or 0 for none,"
                + " got 'soon'");
  }
}
