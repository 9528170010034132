package io.dbbinding.bench;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.db.DataSources;
import io.dbbinding.migrate.MigrationOptions;
import io.dbbinding.migrate.MigrationSource;
import io.dbbinding.migrate.Migrator;
import io.dbbinding.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * 1,000 trivial migrations through dbbinding's engine (in-memory source, as the operator uses it)
 * and through Flyway's API directly (files on disk), each on a fresh database, alternating, in one
 * run.
 */
public final class MigrationBench {
  private static final int MIGRATIONS = 1_000;
  private static final int ROUNDS = 3;

  public static void main(String[] args) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 1; i <= MIGRATIONS; i++) {
      files.put("V" + i + "__step_" + i + ".sql", "CREATE TABLE t_" + i + " (id int);");
    }
    Path dir = Files.createTempDirectory("bench-migrations");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    // Warm-up: load the classes and JIT both paths once.
    engine(files);
    flyway(dir);
    List<Long> engine = new ArrayList<>();
    List<Long> direct = new ArrayList<>();
    for (int r = 0; r < ROUNDS; r++) {
      if (r % 2 == 0) {
        engine.add(engine(files));
        direct.add(flyway(dir));
      } else {
        direct.add(flyway(dir));
        engine.add(engine(files));
      }
    }
    long e = Results.median(engine);
    long d = Results.median(direct);
    double overhead = (e - d) * 100.0 / d;
    System.out.printf(
        "1,000 migrations: engine %d ms, Flyway API %d ms, overhead %.1f %%%n", e, d, overhead);
    Results.write(
        "migrations",
        "Migration engine: 1,000 trivial migrations",
        List.of(
            "| path | median of " + ROUNDS + " (ms) | runs (ms) |",
            "| --- | --- | --- |",
            "| dbbinding engine (in-memory source, name and encoding checks, info after) | "
                + e
                + " | "
                + engine
                + " |",
            "| Flyway API directly (filesystem location) | " + d + " | " + direct + " |",
            "",
            String.format(
                "Overhead of the engine: **%.1f %%** (target: at most 10 %%).", overhead)));
    System.exit(0);
  }

  private static DataSource fresh() {
    DatabaseUrl db = TestDatabases.newDatabase();
    return DataSources.unpooled(db, Duration.ofSeconds(10), Duration.ZERO);
  }

  private static long engine(Map<String, String> files) {
    DataSource ds = fresh();
    long start = System.nanoTime();
    var result =
        new Migrator(ds, MigrationOptions.defaults())
            .migrate(MigrationSource.inMemory("bench", files));
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (result.applied().size() != MIGRATIONS) {
      throw new IllegalStateException("engine applied " + result.applied().size());
    }
    return ms;
  }

  private static long flyway(Path dir) {
    DataSource ds = fresh();
    long start = System.nanoTime();
    var result = Flyway.configure().dataSource(ds).locations("filesystem:" + dir).load().migrate();
    long ms = (System.nanoTime() - start) / 1_000_000;
    if (result.migrationsExecuted != MIGRATIONS) {
      throw new IllegalStateException("flyway applied " + result.migrationsExecuted);
    }
    return ms;
  }
}
