package io.dbbinding.cli;

import io.dbbinding.binding.Durations;
import io.dbbinding.config.ConfigurationException;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.LogLevel;
import io.dbbinding.config.Settings;
import io.dbbinding.db.DataSources;
import io.dbbinding.db.DatabaseProbe;
import io.dbbinding.logging.Logging;
import io.dbbinding.migrate.SchemaHistory;
import io.dbbinding.migrate.SchemaVersion;
import io.dbbinding.migrate.SchemaWait;
import io.dbbinding.migrate.SchemaWait.Outcome;
import io.dbbinding.migrate.SchemaWait.Sighting;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dbbinding wait --schema-version 5}: for an init container or a Job that must not start
 * before its schema is there, where a readiness gate does not fit. It needs only DATABASE_URL (no
 * Kubernetes API access, no migration files) and reads only the history table. It prints a line
 * when it starts, one each time what it sees changes, and one at the end.
 */
@Command(
    name = "wait",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Wait until Flyway's history table in DATABASE_URL reaches a schema version; for init",
      "containers and Jobs. Reads only the history table. Exit codes: 0 the version is there,",
      "1 timed out (the last line says where the schema stands), 2 bad usage or settings."
    })
final class WaitCommand implements Callable<Integer> {
  /** Long enough for a remote database to answer, short enough to look again soon. */
  private static final Duration MIN_LOOK_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);

  private final CliContext context;

  @Option(
      names = "--schema-version",
      required = true,
      paramLabel = "VERSION",
      description = "The version to wait for, such as 5 or 1.10 (Flyway order: 1.10 after 1.9).")
  String schemaVersion;

  @Option(
      names = "--timeout",
      defaultValue = "10m",
      paramLabel = "DURATION",
      description = "Give up after this long, such as 90s or 10m (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--interval",
      defaultValue = "2s",
      paramLabel = "DURATION",
      description = "Look this often (default: ${DEFAULT-VALUE}).")
  String interval;

  @Option(
      names = "--schema",
      defaultValue = SchemaHistory.DEFAULT_SCHEMA,
      description = "Schema holding the history table (default: ${DEFAULT-VALUE}).")
  String schema;

  @Option(
      names = "--table",
      defaultValue = SchemaHistory.DEFAULT_TABLE,
      description = "History table (default: ${DEFAULT-VALUE}).")
  String table;

  WaitCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    SchemaVersion required;
    try {
      required = SchemaVersion.parse(schemaVersion);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("--schema-version: " + e.getMessage());
    }
    Duration limit = duration("--timeout", timeout);
    Duration every = duration("--interval", interval);
    if (every.compareTo(MIN_INTERVAL) < 0) {
      throw new ConfigurationException("--interval must be at least 100ms, got '" + interval + "'");
    }
    Settings settings = context.settings();
    DatabaseUrl url = settings.requireDatabaseUrl();
    // The driver and the pool speak only on trouble; the command's own lines are the output.
    Logging.configure(
        settings.logLevel() == LogLevel.DEBUG ? LogLevel.DEBUG : LogLevel.ERROR,
        settings.logFormat(),
        true);
    Duration lookTimeout =
        settings.connectTimeout().compareTo(MIN_LOOK_TIMEOUT) < 0
            ? MIN_LOOK_TIMEOUT
            : settings.connectTimeout();
    DataSource dataSource = DataSources.unpooled(url, lookTimeout, lookTimeout);
    String where = schema + "." + table;
    try (DatabaseProbe probe = new DatabaseProbe(dataSource::getConnection, lookTimeout, 2)) {
      SchemaWait wait =
          SchemaWait.of(probe, new SchemaHistory(schema, table), Clock.systemUTC(), Thread::sleep);
      context
          .out()
          .println(
              "Waiting up to "
                  + timeout
                  + " for schema version "
                  + required
                  + " in "
                  + where
                  + " of "
                  + url.masked());
      Outcome o =
          wait.await(
              required,
              limit,
              every,
              s -> {
                if (s.version().filter(v -> v.isAtLeast(required)).isEmpty()) {
                  context.out().println(seen(s, required, where));
                }
              });
      if (o.reached()) {
        context
            .out()
            .println(
                "Schema version "
                    + o.last().version().orElseThrow()
                    + " reached (required "
                    + required
                    + ") after "
                    + o.waited().toSeconds()
                    + " s");
        return ExitCode.OK;
      }
      context
          .err()
          .println("dbbinding: timed out after " + timeout + ": " + end(o, required, where));
      return ExitCode.FAILED;
    }
  }

  /** {@code text} as a duration, or a usage error naming {@code option}. */
  static Duration duration(String option, String text) {
    Duration d = Durations.parse(text, null);
    if (d == null) {
      throw new ConfigurationException(
          option + " must be a duration such as 30s, 10m or 1h30m, got '" + text + "'");
    }
    return d;
  }

  /** What one look saw, while waiting. */
  private static String seen(Sighting s, SchemaVersion required, String where) {
    if (s.error().isPresent()) {
      return s.error().get() + "; waiting for it";
    }
    return s.version()
        .map(v -> "Schema version " + v + " is behind required " + required)
        .orElse("No schema version yet (nothing applied in " + where + "), required " + required);
  }

  /** Where the schema stands at the timeout, in one line. */
  private static String end(Outcome o, SchemaVersion required, String where) {
    if (o.last().error().isPresent()) {
      String since = o.unreachableSince().orElseThrow().truncatedTo(ChronoUnit.SECONDS).toString();
      String last =
          o.lastVersion()
              .map(v -> "schema version " + v + " when last read")
              .orElse("the schema version was never read");
      return "the database could not be read since "
          + since
          + " ("
          + o.last().error().get()
          + "); "
          + last
          + ", required "
          + required;
    }
    return o.last()
        .version()
        .map(v -> "schema version " + v + " is behind required " + required)
        .orElse("no schema version yet (nothing applied in " + where + "), required " + required);
  }
}
