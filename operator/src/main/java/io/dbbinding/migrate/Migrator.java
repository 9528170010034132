package io.dbbinding.migrate;

import io.dbbinding.db.SqlErrors;
import io.dbbinding.migrate.MigrationError.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.ErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration engine: Flyway over a {@link MigrationSource}, with errors turned into {@link
 * MigrationError}s that name the file. Flyway's advisory lock on the history table makes concurrent
 * runs on one schema safe: each migration is applied once.
 */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  /**
   * The pauses before retrying a migration that hit its lock time-out, within one attempt: short
   * and growing, so that a lock held for a moment is waited out without queueing the application
   * behind the migration for long.
   */
  static final List<Duration> LOCK_RETRY_PAUSES =
      List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));

  private static final String LOCK_NOT_AVAILABLE = "55P03";

  private final DataSource dataSource;
  private final DataSource watchSource;
  private final MigrationOptions options;
  private final MigrationTimeouts timeouts;

  public Migrator(DataSource dataSource, MigrationOptions options) {
    this(dataSource, options, MigrationTimeouts.defaults());
  }

  public Migrator(DataSource dataSource, MigrationOptions options, MigrationTimeouts timeouts) {
    this(dataSource, dataSource, options, timeouts);
  }

  /**
   * @param dataSource where the run's connections come from: every step of a run may share one
   * @param watchSource where the blocker watch gets its own connection while a migration runs; it
   *     must not be the run's connection, which is busy then
   */
  public Migrator(
      DataSource dataSource,
      DataSource watchSource,
      MigrationOptions options,
      MigrationTimeouts timeouts) {
    this.dataSource = dataSource;
    this.watchSource = watchSource;
    this.options = options;
    this.timeouts = timeouts;
  }

  /**
   * Applies what is pending, up to the target. Changes nothing when validation fails. A migration
   * that cannot get a lock within the lock time-out is rolled back and retried after a short pause,
   * a few times; then this fails with {@link Reason#LOCK_TIMEOUT} naming the blocker.
   */
  public MigrationResult migrate(MigrationSource source) {
    List<MigrationFile> files = loadNonEmpty(source);
    long start = System.nanoTime();
    Flyway flyway;
    MigrateResult result;
    int tries = 0;
    while (true) {
      tries++;
      Map<String, MigrationPlan> plans = preflight(files);
      AtomicInteger pid = new AtomicInteger();
      flyway = flyway(files, false, plans, pid);
      BlockerWatch watch = watch(pid);
      try {
        result = flyway.migrate();
        break;
      } catch (FlywayValidateException e) {
        throw validationError(flyway);
      } catch (FlywayMigrateException e) {
        if (!isLockTimeout(e)) {
          throw migrationFailed(e);
        }
        if (tries > LOCK_RETRY_PAUSES.size()) {
          throw lockTimeout(e, watch == null ? List.of() : watch.last(), tries);
        }
        log.atInfo()
            .setMessage("migration.lock_timeout_retry")
            .addKeyValue("script", e.getMigration() == null ? "" : e.getMigration().getScript())
            .addKeyValue("try", tries)
            .log();
        pause(LOCK_RETRY_PAUSES.get(tries - 1));
      } catch (FlywayException e) {
        throw translate(e);
      } finally {
        if (watch != null) {
          watch.close();
        }
      }
    }
    List<String> applied = new ArrayList<>();
    for (MigrateOutput m : result.migrations) {
      applied.add(scriptName(m));
    }
    long durationMs = (System.nanoTime() - start) / 1_000_000;
    InfoReport info = info(flyway);
    log.atInfo()
        .setMessage("migration.completed")
        .addKeyValue("source", source.describe())
        .addKeyValue("schema", options.schema())
        .addKeyValue("applied", applied.size())
        .addKeyValue("schema_version", info.schemaVersion())
        .addKeyValue("duration_ms", durationMs)
        .log();
    return new MigrationResult(
        emptyToNull(result.initialSchemaVersion), info.schemaVersion(), applied, durationMs, info);
  }

  private Map<String, MigrationPlan> preflight(List<MigrationFile> files) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return new Preflight(options)
          .check(
              c,
              files,
              Flyway.configure(Migrator.class.getClassLoader()).placeholderReplacement(false));
    } catch (SQLException e) {
      io.dbbinding.db.DatabaseError db = SqlErrors.translate(e);
      throw new MigrationError(Reason.MIGRATION_FAILED, db.getMessage(), db);
    }
  }

  private BlockerWatch watch(AtomicInteger pid) {
    if (!timeouts.lockTimeout().isPositive()) {
      return null;
    }
    long every = Math.clamp(timeouts.lockTimeout().toMillis() / 4, 20, 250);
    return new BlockerWatch(watchSource, pid, Duration.ofMillis(every));
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MigrationError(Reason.LOCK_TIMEOUT, "interrupted while waiting to retry", e);
    }
  }

  private static boolean isLockTimeout(FlywayMigrateException e) {
    return serverError(e).map(s -> LOCK_NOT_AVAILABLE.equals(s.getSQLState())).orElse(false);
  }

  private MigrationError lockTimeout(FlywayMigrateException e, List<Blocker> blockers, int tries) {
    MigrationInfo m = e.getMigration();
    String script = m == null ? "a migration" : fileName(m.getScript());
    StringBuilder msg =
        new StringBuilder(script)
            .append(" could not get a lock within the lock timeout (")
            .append(MigrationTimeouts.shown(timeouts.lockTimeout()))
            .append(") in ")
            .append(tries)
            .append(" tries and was rolled back each time; ");
    if (blockers.isEmpty()) {
      msg.append("the session holding the lock was not seen");
    } else {
      msg.append("blocked by ");
      for (int i = 0; i < blockers.size(); i++) {
        msg.append(i == 0 ? "" : ", ").append(blockers.get(i).describe(timeouts.reportBlockers()));
      }
    }
    msg.append("; end that transaction, or apply the migration when the table is quieter");
    return new MigrationError(Reason.LOCK_TIMEOUT, msg.toString(), e);
  }

  /** The history table, and with a source, what is pending too. */
  public InfoReport info(MigrationSource source) {
    List<MigrationFile> files = source.load();
    Flyway flyway = flyway(files, files.isEmpty());
    try {
      return info(flyway);
    } catch (FlywayException e) {
      throw translate(e);
    }
  }

  /**
   * Checks that every applied migration still matches its file. Pending migrations are counted, not
   * failures.
   */
  public ValidationReport validate(MigrationSource source) {
    Flyway flyway = flyway(loadNonEmpty(source), false);
    try {
      ValidateResult result = flyway.validateWithResult();
      List<ValidationReport.Problem> problems = problems(result);
      int pending = info(flyway).pending();
      return new ValidationReport(problems.isEmpty(), pending, problems);
    } catch (FlywayException e) {
      throw translate(e);
    }
  }

  private List<MigrationFile> loadNonEmpty(MigrationSource source) {
    List<MigrationFile> files = source.load();
    if (files.isEmpty()) {
      throw new MigrationError(
          Reason.SOURCE_NOT_FOUND, "no migrations found in " + source.describe());
    }
    return files;
  }

  private Flyway flyway(List<MigrationFile> files, boolean tolerant) {
    return flyway(files, tolerant, Map.of(), null);
  }

  /**
   * @param plans how each file is applied; empty when nothing is applied (info, validate)
   * @param migrationPid where the migration connection's pid is recorded; null when nothing is
   *     applied
   */
  private Flyway flyway(
      List<MigrationFile> files,
      boolean tolerant,
      Map<String, MigrationPlan> plans,
      AtomicInteger migrationPid) {
    Map<String, Boolean> inTransaction = new HashMap<>();
    plans.forEach(
        (name, p) -> inTransaction.put(name, p.mode() != MigrationPlan.Mode.NON_TRANSACTIONAL));
    FluentConfiguration config =
        Flyway.configure(Migrator.class.getClassLoader())
            .dataSource(dataSource)
            .schemas(options.schema())
            .defaultSchema(options.schema())
            .createSchemas(true)
            .table(options.table())
            .target(
                MigrationOptions.LATEST.equals(options.target())
                    ? MigrationVersion.LATEST
                    : MigrationVersion.fromVersion(options.target()))
            .baselineOnMigrate(options.baselineOnMigrate())
            .placeholderReplacement(false)
            .validateMigrationNaming(true)
            .cleanDisabled(true)
            .failOnMissingLocations(false)
            .resourceProvider(new InMemoryResources(files, inTransaction))
            .locations("classpath:dbbinding/no-java-migrations");
    // A session-level advisory lock on the one connection that applies the migrations. Flyway's
    // default, a transactional lock, holds a second connection idle in a transaction (with a
    // snapshot) for the whole run, and CREATE INDEX CONCURRENTLY waits for every such snapshot
    // to end: the run would wait for itself forever.
    config
        .getPluginRegister()
        .getExact(PostgreSQLConfigurationExtension.class)
        .setTransactionalLock(false);
    if (migrationPid != null) {
      config.callbacks(new SessionTimeouts(timeouts, plans, migrationPid));
    }
    // Pending migrations are what migrate applies; validate reports them separately. Without
    // files (info from the history alone) applied migrations are expected to have none.
    if (tolerant) {
      config.ignoreMigrationPatterns("*:pending", "*:missing", "*:future");
    } else {
      config.ignoreMigrationPatterns("*:pending", "*:future");
    }
    return config.load();
  }

  private InfoReport info(Flyway flyway) {
    boolean withoutFiles =
        flyway.getConfiguration().getResourceProvider() instanceof InMemoryResources r
            && r.isEmpty();
    MigrationInfo[] all = flyway.info().all();
    MigrationInfo current = flyway.info().current();
    List<MigrationInfoRow> rows = new ArrayList<>();
    int applied = 0;
    int pending = 0;
    int failed = 0;
    Instant last = null;
    for (MigrationInfo m : all) {
      MigrationState state = withoutFiles ? historyOnly(m.getState()) : m.getState();
      if (state.isFailed()) {
        failed++;
      } else if (state.isApplied()) {
        applied++;
      } else if (state == MigrationState.PENDING
          || state == MigrationState.OUTDATED
          || state == MigrationState.ABOVE_TARGET) {
        pending++;
      }
      Instant installedOn = m.getInstalledOn() == null ? null : m.getInstalledOn().toInstant();
      if (installedOn != null && (last == null || installedOn.isAfter(last))) {
        last = installedOn;
      }
      rows.add(
          new MigrationInfoRow(
              m.getVersion() == null ? null : m.getVersion().getVersion(),
              m.getDescription(),
              m.getType().name(),
              m.getScript(),
              m.getChecksum(),
              state.getDisplayName(),
              installedOn,
              m.getExecutionTime()));
    }
    String version =
        current == null || current.getVersion() == null ? null : current.getVersion().getVersion();
    return new InfoReport(version, applied, pending, failed, last, rows);
  }

  /**
   * Without files Flyway calls every applied migration "Future" or "Missing"; read from the history
   * alone, they are simply applied (or failed).
   */
  private static MigrationState historyOnly(MigrationState state) {
    return switch (state) {
      case FUTURE_SUCCESS, MISSING_SUCCESS -> MigrationState.SUCCESS;
      case FUTURE_FAILED, MISSING_FAILED -> MigrationState.FAILED;
      default -> state;
    };
  }

  private MigrationError validationError(Flyway flyway) {
    ValidateResult result;
    try {
      result = flyway.validateWithResult();
    } catch (FlywayException e) {
      return translate(e);
    }
    List<ValidationReport.Problem> problems = problems(result);
    if (problems.isEmpty()) {
      return new MigrationError(Reason.MIGRATION_FAILED, "validation failed");
    }
    ValidationReport.Problem first = problems.get(0);
    String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
    return new MigrationError(first.reason(), first.message() + more);
  }

  private static List<ValidationReport.Problem> problems(ValidateResult result) {
    List<ValidationReport.Problem> problems = new ArrayList<>();
    if (result.invalidMigrations != null) {
      for (ValidateOutput v : result.invalidMigrations) {
        problems.add(problem(v));
      }
    }
    if (problems.isEmpty() && !result.validationSuccessful && result.errorDetails != null) {
      problems.add(
          new ValidationReport.Problem(
              "", Reason.MIGRATION_FAILED, oneLine(result.errorDetails.errorMessage)));
    }
    return problems;
  }

  private static ValidationReport.Problem problem(ValidateOutput v) {
    String script = v.filepath == null || v.filepath.isEmpty() ? describe(v) : fileName(v.filepath);
    ErrorCode code = v.errorDetails == null ? null : v.errorDetails.errorCode;
    Reason reason;
    String message;
    if (code == CoreErrorCode.CHECKSUM_MISMATCH
        || code == CoreErrorCode.TYPE_MISMATCH
        || code == CoreErrorCode.DESCRIPTION_MISMATCH) {
      reason = Reason.CHECKSUM_MISMATCH;
      message =
          script
              + " was changed after it was applied (checksum mismatch); restore the applied"
              + " version and put the change in a new migration";
    } else if (code == CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED
        || code == CoreErrorCode.APPLIED_REPEATABLE_MIGRATION_NOT_RESOLVED) {
      reason = Reason.MISSING_MIGRATION;
      message = script + " was applied but is missing from the migrations; restore the file";
    } else if (code == CoreErrorCode.FAILED_VERSIONED_MIGRATION
        || code == CoreErrorCode.FAILED_REPEATABLE_MIGRATION) {
      reason = Reason.MIGRATION_FAILED;
      message = script + " is recorded as failed in the history table; repair it by hand";
    } else {
      reason = Reason.MIGRATION_FAILED;
      message =
          script
              + ": "
              + (v.errorDetails == null ? "invalid" : oneLine(v.errorDetails.errorMessage));
    }
    return new ValidationReport.Problem(script, reason, message);
  }

  private static String describe(ValidateOutput v) {
    return (v.version == null || v.version.isEmpty() ? "R" : "V" + v.version)
        + "__"
        + String.valueOf(v.description).replace(' ', '_')
        + ".sql";
  }

  private static MigrationError migrationFailed(FlywayMigrateException e) {
    MigrationInfo m = e.getMigration();
    String script = m == null ? "a migration" : fileName(m.getScript());
    Optional<org.postgresql.util.ServerErrorMessage> server = serverError(e);
    StringBuilder msg = new StringBuilder(script).append(" failed");
    if (server.isPresent()) {
      org.postgresql.util.ServerErrorMessage s = server.get();
      msg.append(": ").append(oneLine(s.getMessage()));
      msg.append(" (SQLSTATE ").append(s.getSQLState());
      if (s.getPosition() > 0) {
        msg.append(", position ").append(s.getPosition());
      }
      msg.append(")");
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FlywaySqlScriptException sqlScript && sqlScript.getLineNumber() > 0) {
        msg.append(" in the statement at line ").append(sqlScript.getLineNumber());
        break;
      }
    }
    msg.append("; it was rolled back");
    return new MigrationError(Reason.MIGRATION_FAILED, msg.toString(), e);
  }

  private static Optional<org.postgresql.util.ServerErrorMessage> serverError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
        return Optional.of(p.getServerErrorMessage());
      }
    }
    return Optional.empty();
  }

  /** Flyway's other failures: connection problems become the db family's errors. */
  private static MigrationError translate(FlywayException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        io.dbbinding.db.DatabaseError db = SqlErrors.translate(sql);
        return new MigrationError(Reason.MIGRATION_FAILED, db.getMessage(), db);
      }
    }
    return new MigrationError(Reason.INVALID_CONFIGURATION, oneLine(e.getMessage()), e);
  }

  private static String scriptName(MigrateOutput m) {
    return fileName(m.filepath);
  }

  private static String fileName(String path) {
    if (path == null) {
      return "";
    }
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return slash < 0 ? path : path.substring(slash + 1);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
