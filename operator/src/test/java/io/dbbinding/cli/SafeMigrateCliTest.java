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
}
