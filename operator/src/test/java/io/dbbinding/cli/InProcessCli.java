package io.dbbinding.cli;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.SettingSource;
import io.dbbinding.testing.PostgresServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code dbbinding <args>} run in this JVM as a user would run it in {@code dir}, with {@code
 * DATABASE_URL} as the only setting; what it printed is kept until the next run.
 */
final class InProcessCli {
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  /**
   * @param db the database {@code DATABASE_URL} names; none when null
   * @return the exit code
   */
  int run(Path dir, DatabaseUrl db, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    Map<String, String> env =
        db == null ? Map.of() : Map.of("DATABASE_URL", PostgresServer.rawUrl(db));
    return Main.run(
        new CliContext(
            SettingSource.of(env), dir, new PrintWriter(out, true), new PrintWriter(err, true)),
        args);
  }

  /** Standard output of the last run. */
  String out() {
    return out.toString();
  }

  /** Standard error of the last run. */
  String err() {
    return err.toString();
  }
}
