package io.dbbinding.bench;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.migrate.CompactSnapshot;
import io.dbbinding.migrate.SchemaCatalog;
import io.dbbinding.migrate.SchemaDiff;
import io.dbbinding.migrate.SchemaSnapshot;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One drift check as the operator makes it at each checkInterval, on a schema of 200 tables (each
 * with four columns, a primary key, an index and a check constraint): the catalog query on an open
 * connection and the comparison with the baseline. Counts the statements it sends.
 */
public final class DriftBench {
  private static final int TABLES = 200;
  private static final int WARM_UP = 50;
  private static final int RUNS = 300;

  public static void main(String[] args) throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      StringBuilder ddl = new StringBuilder();
      for (int i = 1; i <= TABLES; i++) {
        ddl.append(
            String.format(
                "CREATE TABLE t_%1$d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                    + " name text NOT NULL DEFAULT '', amount numeric(10,2),"
                    + " created timestamptz NOT NULL DEFAULT now(),"
                    + " CONSTRAINT t_%1$d_amount CHECK (amount >= 0));"
                    + " CREATE INDEX t_%1$d_name ON t_%1$d (name);%n",
                i));
      }
      s.execute(ddl.toString());
      s.execute("CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY)");
    }
    SchemaCatalog catalog = new SchemaCatalog("public", "flyway_schema_history");
    AtomicInteger statements = new AtomicInteger();
    List<Long> micros = new ArrayList<>();
    List<Long> queryMicros = new ArrayList<>();
    CompactSnapshot baseline;
    int objects;
    try (Connection c = PostgresServer.connect(db)) {
      Connection counting = counting(c, statements);
      SchemaSnapshot first = catalog.read(counting);
      objects = first.objects().size();
      baseline = CompactSnapshot.of(first);
      for (int i = 0; i < WARM_UP + RUNS; i++) {
        int before = statements.get();
        long start = System.nanoTime();
        SchemaSnapshot live = catalog.read(counting);
        long query = (System.nanoTime() - start) / 1_000;
        // As the operator compares: the baseline it keeps compact, expanded for the comparison.
        SchemaDiff diff = SchemaDiff.between(baseline.expand(), live);
        long took = (System.nanoTime() - start) / 1_000;
        if (!diff.inSync()) {
          throw new IllegalStateException("drift in an untouched schema: " + diff.describe());
        }
        if (statements.get() - before != 1) {
          throw new IllegalStateException("a check sent " + (statements.get() - before));
        }
        if (i >= WARM_UP) {
          micros.add(took);
          queryMicros.add(query);
        }
      }
    }
    List<Long> sorted = new ArrayList<>(micros);
    Collections.sort(sorted);
    double median = Results.median(micros) / 1000.0;
    double p90 = sorted.get((int) (sorted.size() * 0.9)) / 1000.0;
    double worst = sorted.getLast() / 1000.0;
    double queryMedian = Results.median(queryMicros) / 1000.0;
    long kib = (baseline.bytes() + 1023) / 1024;
    double load =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    System.out.printf(
        "drift check, %d tables (%d objects): median %.1f ms, p90 %.1f ms, worst %.1f ms,"
            + " 1 query%n",
        TABLES, objects, median, p90, worst);
    Results.write(
        "drift",
        "Schema drift check",
        List.of(
            "One drift check as the operator makes it at each checkInterval, on the reconcile's open"
                + " connection: the catalog query (migrate/SchemaCatalog) and the comparison with"
                + " the baseline (SchemaDiff), on a schema of "
                + TABLES
                + " tables, each with four columns (identity, defaults, NOT NULL), a primary key,"
                + " an index and a check constraint: "
                + objects
                + " objects. "
                + RUNS
                + " checks after "
                + WARM_UP
                + " of warm-up, on embedded PostgreSQL 18 over loopback.",
            "",
            "| checks | queries a check | median (ms) | of which the query (median, ms) | p90 (ms)"
                + " | worst (ms) | baseline in the operator's memory |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            String.format(
                "| %d | 1 | %.1f | %.1f | %.1f | %.1f | %d KiB |",
                RUNS, median, queryMedian, p90, worst, kib),
            "",
            String.format(
                "Nearly all of it is the server's: pg_get_indexdef, pg_get_constraintdef and"
                    + " pg_get_expr deparse each index, constraint and default. The machine's load"
                    + " average at the end of the run was %.1f (2 cores, shared with other builds):"
                    + " read the times as a ceiling.",
                load)));
    System.exit(0);
  }

  /** {@code c}, counting the statements prepared or created on it. */
  private static Connection counting(Connection c, AtomicInteger statements) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().startsWith("prepare")
                  || method.getName().equals("createStatement")) {
                statements.incrementAndGet();
              }
              return method.invoke(c, args);
            });
  }
}
