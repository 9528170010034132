package io.dbbinding.migrate;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.testing.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A migrator as a separate process, for tests that kill one: it connects as a run named {@code
 * applicationName} would, takes the migration lock of a history table as Flyway does (a
 * session-level advisory lock on Flyway's key), prints {@code locked} and waits to be killed.
 */
public final class LockHolderProcess {
  private LockHolderProcess() {}

  /**
   * Starts one on the test class path; {@code url} reaches it through the environment, not the
   * command line.
   */
  public static Process start(
      DatabaseUrl url, String applicationName, String schema, String table, Path log)
      throws java.io.IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LockHolderProcess.class.getName());
    command.addAll(List.of(applicationName, schema, table));
    ProcessBuilder b =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    b.environment().put("DATABASE_URL", PostgresServer.rawUrl(url));
    return b.start();
  }

  /** Flyway's lock key for the history table, as a test outside this package takes it. */
  public static long key(String schema, String table) {
    return MigrationLock.key(schema, table);
  }

  public static void main(String[] args) throws Exception {
    DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", System.getenv("DATABASE_URL"));
    Connection c =
        DataSources.unpooled(url, Duration.ofSeconds(10), Duration.ZERO, args[0]).getConnection();
    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
      s.setLong(1, MigrationLock.key(args[1], args[2]));
      s.executeQuery().close();
    }
    System.out.println("locked");
    System.out.flush();
    Thread.sleep(Duration.ofHours(1));
  }
}
