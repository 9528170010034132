package io.dbbinding.migrate;

import io.dbbinding.migrate.MigrationError.Reason;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * The migration engine: Flyway over a {@link MigrationSource}, with errors turned into {@link
 * MigrationError}s that name the file. Flyway's advisory lock on the history table makes concurrent
 * runs on one schema safe: each migration is applied once.
 *
 * <p>A facade: {@link FlywaySetup} configures Flyway, {@link MigrationRun} applies, {@link
 * InfoReports} and {@link ValidationProblems} report, {@link FlywayErrors} translates failures.
 */
public final class Migrator {
  private final DataSource dataSource;
  private final DataSource watchSource;
  private final MigrationOptions options;
  private final MigrationTimeouts timeouts;
  private final FlywaySetup setup;
  private final LockRelease lockRelease;

  public Migrator(DataSource dataSource, MigrationOptions options) {
    this(dataSource, options, MigrationTimeouts.defaults());
  }

  public Migrator(DataSource dataSource, MigrationOptions options, MigrationTimeouts timeouts) {
    this(dataSource, dataSource, options, timeouts);
  }

  /**
   * @param dataSource where a run's connections come from: every step of a run may share one
   *     ({@link io.dbbinding.db.SharedConnection})
   * @param watchSource where the blocker watch opens its own connection while a migration runs
   */
  public Migrator(
      DataSource dataSource,
      DataSource watchSource,
      MigrationOptions options,
      MigrationTimeouts timeouts) {
    this(dataSource, watchSource, options, timeouts, null);
  }

  /**
   * @param lockRelease how a migration lock held by a session whose owner is gone is released; null
   *     to leave every holder to Flyway's wait
   */
  public Migrator(
      DataSource dataSource,
      DataSource watchSource,
      MigrationOptions options,
      MigrationTimeouts timeouts,
      LockRelease lockRelease) {
    this.dataSource = dataSource;
    this.watchSource = watchSource;
    this.options = options;
    this.timeouts = timeouts;
    this.setup = new FlywaySetup(options);
    this.lockRelease = lockRelease;
  }

  /**
   * Applies what is pending, up to the target. Changes nothing when validation fails. A migration
   * that cannot get a lock within the lock time-out is rolled back and retried after a short pause,
   * a few times; then this fails with {@link Reason#LOCK_TIMEOUT} naming the blocker.
   */
  public MigrationResult migrate(MigrationSource source) {
    List<MigrationFile> files = loadNonEmpty(source);
    return new MigrationRun(dataSource, watchSource, options, timeouts, setup)
        .releasingOrphans(lockRelease)
        .apply(source, files);
  }

  /**
   * This migrator with another target: what applies the part of a source below a held contract
   * step, which Flyway would refuse under a target version the cut source no longer holds.
   */
  public Migrator withTarget(String target) {
    return new Migrator(
        dataSource,
        watchSource,
        new MigrationOptions(
            options.schema(), options.table(), target, options.baselineOnMigrate()),
        timeouts);
  }

  /** The history table, and with a source, what is pending too. */
  public InfoReport info(MigrationSource source) {
    Flyway flyway = setup.reading(dataSource, source.load());
    try {
      return InfoReports.of(flyway);
    } catch (FlywayException e) {
      throw FlywayErrors.translate(e);
    }
  }

  /**
   * Checks that every applied migration still matches its file. Pending migrations are counted, not
   * failures.
   */
  public ValidationReport validate(MigrationSource source) {
    Flyway flyway = setup.reading(dataSource, loadNonEmpty(source));
    try {
      ValidateResult result = flyway.validateWithResult();
      List<ValidationReport.Problem> problems = ValidationProblems.of(result);
      int pending = InfoReports.of(flyway).pending();
      return new ValidationReport(problems.isEmpty(), pending, problems);
    } catch (FlywayException e) {
      throw FlywayErrors.translate(e);
    }
  }

  private static List<MigrationFile> loadNonEmpty(MigrationSource source) {
    List<MigrationFile> files = source.load();
    if (files.isEmpty()) {
      throw new MigrationError(
          Reason.SOURCE_NOT_FOUND, "no migrations found in " + source.describe());
    }
    return files;
  }
}
