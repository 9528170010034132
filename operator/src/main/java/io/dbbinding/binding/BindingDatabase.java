package io.dbbinding.binding;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DatabaseError;
import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.MigrationError;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.SchemaSnapshot;
import java.util.Optional;

/**
 * The database side of a reconcile, behind an interface so that every outcome of an observation can
 * be driven by a plain unit test: {@link PostgresBindingDatabase} in the operator.
 */
public interface BindingDatabase {
  /**
   * Connects within the connect time-out and reads the history table's fingerprint.
   *
   * @param migrations the binding's migrations; null when it has none (only reachability counts)
   * @throws io.dbbinding.db.AuthenticationError when the server refuses the credentials
   * @throws DatabaseError when the server cannot be reached or does not answer in time
   */
  Session open(DatabaseUrl url, MigrationsSpec migrations);

  /**
   * As {@link #open}, only when the server has a turn free now: a routine check of a settled
   * binding must not queue ahead of new or changed bindings. Empty when none is free.
   */
  Optional<Session> openIfFree(DatabaseUrl url, MigrationsSpec migrations);

  /**
   * As {@link #open(DatabaseUrl, MigrationsSpec)} for {@code binding}: its sessions say which
   * binding and which replica they serve, so that a lock they leave behind can be released.
   */
  default Session open(DatabaseUrl url, MigrationsSpec migrations, DatabaseBinding binding) {
    return open(url, migrations);
  }

  /** As {@link #openIfFree(DatabaseUrl, MigrationsSpec)} for {@code binding}. */
  default Optional<Session> openIfFree(
      DatabaseUrl url, MigrationsSpec migrations, DatabaseBinding binding) {
    return openIfFree(url, migrations);
  }

  /** One reconcile's use of the database; holds nothing once closed. */
  interface Session extends AutoCloseable {
    /**
     * The history table's fingerprint when the session opened ({@code ""} when there is none):
     * unchanged since the last pass means nothing was applied, repaired or lost meanwhile.
     */
    String historyAtOpen();

    /** The history table and what is pending from {@code source}. */
    InfoReport info(MigrationSource source) throws MigrationError;

    /** Applies what is pending. */
    MigrationResult migrate(MigrationSource source) throws MigrationError;

    /**
     * Applies all that is pending of {@code source}, whatever the spec's target: for the part of
     * the files below a held contract step, which the caller already cut below the target.
     */
    default MigrationResult migrateAll(MigrationSource source) throws MigrationError {
      return migrate(source);
    }

    /** The history table's fingerprint now; empty when it cannot be read. */
    Optional<String> historyNow();

    /**
     * The definition of {@code schema} as the catalogs describe it, without {@code historyTable}:
     * one query.
     *
     * @throws DatabaseError when it cannot be read
     */
    SchemaSnapshot schema(String schema, String historyTable);

    @Override
    void close();
  }
}
