package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The catalog query against a real PostgreSQL: what it sees, what it leaves out, its one query. */
@Tag("integration")
class SchemaCatalogTest {
  private static final String SCHEMA =
      """
      CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                           total numeric(10,2) NOT NULL DEFAULT 0, note text);
      CREATE INDEX orders_total ON orders (total);
      CREATE VIEW big_orders AS SELECT id FROM orders WHERE total > 100;
      CREATE SEQUENCE invoice_no START 1000;
      CREATE TYPE mood AS ENUM ('ok', 'sad');
      CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql AS 'SELECT x * 2';
      CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY);
      INSERT INTO orders (total) VALUES (5), (500);
      """;

  private static void run(DatabaseUrl db, String sql) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static SchemaSnapshot read(DatabaseUrl db) throws Exception {
    try (Connection c = PostgresServer.connect(db)) {
      return new SchemaCatalog("public", "flyway_schema_history").read(c);
    }
  }

  @Test
  void readsEveryKindOfObjectButNotTheHistoryTableNorData() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    run(db, SCHEMA);
    SchemaSnapshot s = read(db);
    assertThat(s.objects().keySet())
        .contains(
            "table public.orders",
            "column public.orders.id",
            "column public.orders.total",
            "column public.orders.note",
            "constraint public.orders.orders_pkey",
            "index public.orders_pkey",
            "index public.orders_total",
            "view public.big_orders",
            "sequence public.invoice_no",
            "sequence public.orders_id_seq",
            "type public.mood",
            "function public.twice(x integer)")
        .noneMatch(name -> name.contains("flyway_schema_history"));

    assertThat(CompactSnapshot.of(s).expand()).as("as the operator keeps it").isEqualTo(s);
    assertThat(CompactSnapshot.of(s).bytes()).isLessThan(60L * s.objects().size() + 200);

    run(db, "INSERT INTO orders (total) VALUES (7); SELECT nextval('invoice_no');");
    run(
        db,
        "INSERT INTO flyway_schema_history VALUES (1); ALTER TABLE flyway_schema_history"
            + " ADD COLUMN x int;");
    assertThat(read(db).fingerprint()).as("data and the history table").isEqualTo(s.fingerprint());
  }

  @Test
  void aDroppedColumnIsNamedAndItsRestorationIsInSync() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    run(db, SCHEMA);
    SchemaSnapshot baseline = read(db);

    run(db, "ALTER TABLE orders DROP COLUMN note");
    SchemaDiff dropped = SchemaDiff.between(baseline, read(db));
    assertThat(dropped.describe()).isEqualTo("column public.orders.note removed");

    run(db, "ALTER TABLE orders ADD COLUMN note text");
    assertThat(SchemaDiff.between(baseline, read(db)).inSync()).isTrue();
  }

  @Test
  void changedDefinitionsAreNamed() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    run(db, SCHEMA);
    SchemaSnapshot baseline = read(db);
    run(
        db,
        """
        ALTER TABLE orders ALTER COLUMN total DROP NOT NULL;
        DROP INDEX orders_total; CREATE INDEX orders_total ON orders (total DESC);
        CREATE OR REPLACE VIEW big_orders AS SELECT id FROM orders WHERE total > 200;
        CREATE OR REPLACE FUNCTION twice(x int) RETURNS int LANGUAGE sql AS 'SELECT x + x';
        ALTER SEQUENCE invoice_no INCREMENT 5;
        ALTER TYPE mood ADD VALUE 'happy';
        ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0);
        """);
    SchemaDiff diff = SchemaDiff.between(baseline, read(db));
    assertThat(diff.changed())
        .containsExactly(
            "column public.orders.total",
            "function public.twice(x integer)",
            "index public.orders_total",
            "sequence public.invoice_no",
            "type public.mood",
            "view public.big_orders");
    assertThat(diff.added()).containsExactly("constraint public.orders.positive");
    assertThat(diff.removed()).isEmpty();
  }

  @Test
  void readsWithOneQuery() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    run(db, SCHEMA);
    AtomicInteger statements = new AtomicInteger();
    try (Connection c = PostgresServer.connect(db)) {
      Connection counting =
          (Connection)
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
      new SchemaCatalog("public", "flyway_schema_history").read(counting);
    }
    assertThat(statements).hasValue(1);
  }
}
