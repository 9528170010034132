package io.dbbinding.binding;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DatabaseError;
import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.MigrationError;
import io.dbbinding.migrate.MigrationFile;
import io.dbbinding.migrate.MigrationInfoRow;
import io.dbbinding.migrate.MigrationResult;
import io.dbbinding.migrate.MigrationSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A database for unit tests of the observation: it applies migrations by remembering their names,
 * and fails where a test tells it to. Counts the runs of the migration engine it stands in for.
 */
final class FakeDatabase implements BindingDatabase {
  /** Thrown by {@link #open}, when set: the server is down, or refuses the password. */
  DatabaseError refuseConnection;

  /** Thrown by {@code migrate}, when set: a failed script, a lock time-out, an edited file. */
  MigrationError failMigrate;

  /** Thrown by {@code info} and {@code migrate}, when set: the server went away mid-pass. */
  DatabaseError loseConnection;

  final TreeSet<String> applied = new TreeSet<>();
  int engineRuns;
  int sessionsOpen;
  DatabaseUrl lastUrl;

  /** The migrated schema's objects and their digests, as the catalog query would read them. */
  final java.util.Map<String, String> schemaObjects = new java.util.TreeMap<>();

  int schemaReads;

  /** Whether the server has no turn free: routine checks are put off. */
  boolean busy;

  @Override
  public Optional<Session> openIfFree(DatabaseUrl url, MigrationsSpec migrations) {
    return busy ? Optional.empty() : Optional.of(open(url, migrations));
  }

  @Override
  public Session open(DatabaseUrl url, MigrationsSpec migrations) {
    lastUrl = url;
    if (refuseConnection != null) {
      throw refuseConnection;
    }
    String historyAtOpen = history();
    sessionsOpen++;
    return new Session() {
      @Override
      public String historyAtOpen() {
        return historyAtOpen;
      }

      @Override
      public InfoReport info(MigrationSource source) {
        engineRuns++;
        if (loseConnection != null) {
          throw loseConnection;
        }
        return report(source.load());
      }

      @Override
      public MigrationResult migrate(MigrationSource source) {
        engineRuns++;
        if (loseConnection != null) {
          throw loseConnection;
        }
        if (failMigrate != null) {
          throw failMigrate;
        }
        InfoReport before = report(source.load());
        List<String> now = new ArrayList<>();
        for (MigrationFile f : source.load()) {
          if (applied.add(f.name())) {
            now.add(f.name());
          }
        }
        InfoReport after = report(source.load());
        return new MigrationResult(before.schemaVersion(), after.schemaVersion(), now, 1, after);
      }

      @Override
      public Optional<String> historyNow() {
        return Optional.of(history());
      }

      @Override
      public io.dbbinding.migrate.SchemaSnapshot schema(String schema, String historyTable) {
        schemaReads++;
        if (loseConnection != null) {
          throw loseConnection;
        }
        // As the catalog query does: 16 hex digits of a digest of each definition.
        java.util.Map<String, String> digests = new java.util.TreeMap<>();
        schemaObjects.forEach(
            (name, definition) ->
                digests.put(
                    name,
                    String.format("%016x", (long) definition.hashCode() * 0x9E3779B97F4A7C15L)));
        return io.dbbinding.migrate.SchemaSnapshot.of(schema, digests);
      }

      @Override
      public void close() {
        sessionsOpen--;
      }
    };
  }

  private String history() {
    return applied.isEmpty() ? "" : String.join(",", applied);
  }

  private InfoReport report(List<MigrationFile> files) {
    List<MigrationInfoRow> rows = new ArrayList<>();
    String version = null;
    int pending = 0;
    for (MigrationFile f : files) {
      String v = f.version().map(Object::toString).orElse(null);
      boolean done = applied.contains(f.name());
      if (done) {
        version = v;
      } else {
        pending++;
      }
      rows.add(
          new MigrationInfoRow(
              v,
              f.name(),
              "SQL",
              f.name(),
              f.sql().hashCode(),
              done ? "Success" : "Pending",
              done ? Instant.EPOCH : null,
              0));
    }
    return new InfoReport(
        version, applied.size(), pending, 0, applied.isEmpty() ? null : Instant.EPOCH, rows);
  }
}
