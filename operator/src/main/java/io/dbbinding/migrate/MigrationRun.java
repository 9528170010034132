package io.dbbinding.migrate;

import io.dbbinding.migrate.MigrationError.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code migrate}: {@link Preflight}, then Flyway with the {@link SessionTimeouts} and a {@link
 * BlockerWatch}, retried a few times when a migration hits its lock time-out, then the {@link
 * InfoReport} of the result. Every connection of the run comes from its data source, here.
 */
final class MigrationRun {
  /** Its events are the migrator's: logged under that name, as before the run had a class. */
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);

  /**
   * The pauses before retrying a migration that hit its lock time-out, within one attempt: short
   * and growing, so that a lock held for a moment is waited out without queueing the application
   * behind the migration for long.
   */
  static final List<Duration> LOCK_RETRY_PAUSES =
      List.of(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));

  private final DataSource dataSource;
  private final DataSource watchSource;
  private final MigrationOptions options;
  private final MigrationTimeouts timeouts;
  private final FlywaySetup setup;
  private LockRelease lockRelease;

  /**
   * @param watchSource where the blocker watch gets its own connection; never the run's own, which
   *     is busy while the watch looks
   */
  MigrationRun(
      DataSource dataSource,
      DataSource watchSource,
      MigrationOptions options,
      MigrationTimeouts timeouts,
      FlywaySetup setup) {
    this.dataSource = dataSource;
    this.watchSource = watchSource;
    this.options = options;
    this.timeouts = timeouts;
    this.setup = setup;
  }

  /**
   * Before Flyway waits for the migration lock, releases it from a session whose owner is gone
   * ({@link MigrationLock#releaseOrphan}); null (the default) leaves every holder to Flyway.
   */
  MigrationRun releasingOrphans(LockRelease release) {
    this.lockRelease = release;
    return this;
  }

  /**
   * Applies what is pending in the files loaded from the source, up to the target.
   *
   * @param files not empty
   */
  MigrationResult apply(MigrationSource source, List<MigrationFile> files) {
    long start = System.nanoTime();
    Flyway flyway;
    MigrateResult result;
    int tries = 0;
    while (true) {
      tries++;
      Map<String, MigrationPlan> plans = preflight(files);
      releaseOrphan();
      AtomicInteger pid = new AtomicInteger();
      flyway = setup.applying(dataSource, files, plans, new SessionTimeouts(timeouts, plans, pid));
      BlockerWatch watch = watch(pid);
      try {
        result = flyway.migrate();
        break;
      } catch (FlywayValidateException e) {
        throw ValidationProblems.failure(flyway);
      } catch (FlywayMigrateException e) {
        if (!FlywayErrors.isLockTimeout(e)) {
          throw FlywayErrors.migrationFailed(e);
        }
        if (tries > LOCK_RETRY_PAUSES.size()) {
          List<Blocker> blockers = watch == null ? List.of() : watch.last();
          throw FlywayErrors.lockTimeout(e, blockers, tries, timeouts);
        }
        log.atInfo()
            .setMessage("migration.lock_timeout_retry")
            .addKeyValue("script", e.getMigration() == null ? "" : e.getMigration().getScript())
            .addKeyValue("try", tries)
            .log();
        pause(LOCK_RETRY_PAUSES.get(tries - 1));
      } catch (FlywayException e) {
        throw FlywayErrors.translate(e);
      } finally {
        if (watch != null) {
          watch.close();
        }
      }
    }
    return completed(source, flyway, result, start);
  }

  private MigrationResult completed(
      MigrationSource source, Flyway flyway, MigrateResult result, long start) {
    List<String> applied = new ArrayList<>();
    for (MigrateOutput m : result.migrations) {
      applied.add(MessageText.fileName(m.filepath));
    }
    long durationMs = (System.nanoTime() - start) / 1_000_000;
    InfoReport info = InfoReports.of(flyway);
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
      return new Preflight(options).check(c, files, FlywaySetup.parsing());
    } catch (SQLException e) {
      throw FlywayErrors.database(e);
    }
  }

  private void releaseOrphan() {
    if (lockRelease == null) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      MigrationLock.releaseOrphan(c, options, lockRelease);
    } catch (SQLException e) {
      throw FlywayErrors.database(e);
    }
  }

  /** None without a lock time-out: no migration is cancelled, so no blocker is ever named. */
  private BlockerWatch watch(AtomicInteger pid) {
    if (!timeouts.lockTimeout().isPositive()) {
      return null;
    }
    long lockTimeoutMs = timeouts.lockTimeout().toMillis();
    long every = Math.clamp(lockTimeoutMs / 4, 20, 250);
    long connectAfter = Math.clamp(lockTimeoutMs / 2, 10, 1000);
    return new BlockerWatch(
        watchSource, pid, Duration.ofMillis(connectAfter), Duration.ofMillis(every));
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MigrationError(Reason.LOCK_TIMEOUT, "interrupted while waiting to retry", e);
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
