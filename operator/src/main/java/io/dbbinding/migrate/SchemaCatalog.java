package io.dbbinding.migrate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one schema's definition from PostgreSQL's catalogs, with one query and no data: tables,
 * columns (type, default, nullability, identity, generation), indexes, constraints, views,
 * functions and procedures, sequences' parameters, triggers, enum and domain types. Flyway's
 * history table (and its indexes and constraints) is left out: it changes with every migration by
 * design.
 *
 * <p>NOT NULL is part of its column's digest, not a constraint of its own (as PostgreSQL 18 also
 * records it), so that the same schema reads the same on every server version. A column's position
 * is left out too, so that a column dropped and added back as it was counts as restored. The
 * definitions are the server's own text (pg_get_indexdef, pg_get_viewdef, ...): after a major
 * upgrade of PostgreSQL a view's text may read differently, which shows as drift once and is
 * re-baselined by the next migration.
 */
public final class SchemaCatalog {
  /** One row per object: kind, name within the schema, a digest of its definition. */
  static final String QUERY =
      """
      WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = ?),
      rel AS (
        SELECT c.oid, c.relname, c.relkind, c.relpersistence
        FROM pg_class c JOIN ns ON c.relnamespace = ns.oid
        WHERE c.relname <> ?),
      tab AS (SELECT * FROM rel WHERE relkind IN ('r', 'p', 'f'))
      SELECT 'table', t.relname, md5(t.relkind::text || '|' || t.relpersistence::text)
      FROM tab t
      UNION ALL
      SELECT 'column', t.relname || '.' || a.attname,
        md5(format_type(a.atttypid, a.atttypmod) || '|' || a.attnotnull::text
          || '|' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
          || '|' || a.attidentity::text || '|' || a.attgenerated::text)
      FROM tab t
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      UNION ALL
      SELECT 'index', i.relname, md5(pg_get_indexdef(x.indexrelid) || '|' || x.indisvalid::text)
      FROM pg_index x JOIN tab t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
      UNION ALL
      SELECT 'constraint', t.relname || '.' || k.conname, md5(pg_get_constraintdef(k.oid))
      FROM pg_constraint k JOIN tab t ON t.oid = k.conrelid
      WHERE k.contype <> 'n'
      UNION ALL
      SELECT CASE v.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END, v.relname,
        md5(pg_get_viewdef(v.oid))
      FROM rel v WHERE v.relkind IN ('v', 'm')
      UNION ALL
      SELECT 'sequence', s.relname,
        md5(format_type(q.seqtypid, NULL) || '|' || q.seqstart || '|' || q.seqincrement
          || '|' || q.seqmax || '|' || q.seqmin || '|' || q.seqcache || '|' || q.seqcycle::text)
      FROM rel s JOIN pg_sequence q ON q.seqrelid = s.oid
      UNION ALL
      SELECT CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate'
          ELSE 'function' END,
        p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
        md5(coalesce(pg_get_function_result(p.oid), '') || '|' || l.lanname
          || '|' || p.provolatile::text || '|' || p.prosecdef::text
          || '|' || coalesce(p.prosrc, ''))
      FROM pg_proc p JOIN ns ON p.pronamespace = ns.oid JOIN pg_language l ON l.oid = p.prolang
      UNION ALL
      SELECT 'trigger', t.relname || '.' || g.tgname, md5(pg_get_triggerdef(g.oid))
      FROM pg_trigger g JOIN tab t ON t.oid = g.tgrelid WHERE NOT g.tgisinternal
      UNION ALL
      SELECT 'type', y.typname,
        md5(y.typtype::text || '|' || coalesce(format_type(y.typbasetype, y.typtypmod), '')
          || '|' || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                              FROM pg_enum e WHERE e.enumtypid = y.oid), ''))
      FROM pg_type y JOIN ns ON y.typnamespace = ns.oid WHERE y.typtype IN ('e', 'd')
      """;

  private final String schema;
  private final String historyTable;

  /**
   * @param schema the schema to read (a binding's {@code spec.migrations.schema})
   * @param historyTable Flyway's history table in it, left out
   */
  public SchemaCatalog(String schema, String historyTable) {
    this.schema = schema;
    this.historyTable = historyTable;
  }

  /** The schema as it is now: one query. An absent schema reads as empty. */
  public SchemaSnapshot read(Connection connection) throws SQLException {
    Map<String, String> objects = new HashMap<>();
    try (PreparedStatement q = connection.prepareStatement(QUERY)) {
      q.setString(1, schema);
      q.setString(2, historyTable);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          // 16 hex digits a digest: enough to see a change, and a baseline of a 200-table schema
          // held for each of 1,000 bindings stays small.
          objects.put(
              rs.getString(1) + " " + schema + "." + rs.getString(2),
              rs.getString(3).substring(0, 16));
        }
      }
    }
    return SchemaSnapshot.of(schema, objects);
  }
}
