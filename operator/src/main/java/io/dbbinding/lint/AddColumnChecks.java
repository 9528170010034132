package io.dbbinding.lint;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.antlr.v4.runtime.tree.ParseTree;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementLexer;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AddColumnSpecificationContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ColumnConstraintContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ColumnConstraintOptionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ColumnDefinitionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.FuncApplicationContext;

/**
 * The rules for ALTER TABLE ... ADD COLUMN: a column that rewrites the table (volatile DEFAULT,
 * stored generated, identity, serial), builds an index or checks every row while holding the table,
 * or cannot be added to a table with rows (NOT NULL without a DEFAULT).
 */
final class AddColumnChecks {
  /**
   * Functions a column DEFAULT may call without rewriting the table (PostgreSQL 11+ stores a
   * non-volatile default once): any other call is treated as volatile.
   */
  private static final Set<String> NON_VOLATILE =
      Set.of(
          "now",
          "transaction_timestamp",
          "statement_timestamp",
          "current_setting",
          "lower",
          "upper",
          "length",
          "concat",
          "to_jsonb",
          "to_json",
          "jsonb_build_object",
          "json_build_object",
          "jsonb_build_array",
          "json_build_array",
          "array_fill",
          "make_interval",
          "make_date",
          "make_timestamp",
          "make_timestamptz",
          "to_timestamp",
          "to_date",
          "abs",
          "round");

  private static final Set<String> SERIAL_TYPES =
      Set.of("serial", "bigserial", "smallserial", "serial2", "serial4", "serial8");

  void addColumn(String table, AddColumnSpecificationContext add, List<Finding> out) {
    ColumnDefinitionContext column = add.columnDefinition();
    if (add.COLUMN() == null
        && column.columnName().getStart().getType() == PostgreSQLStatementLexer.CONSTRAINT) {
      // The grammar lets CONSTRAINT be a column name, so "ADD CONSTRAINT c CHECK (...)" without
      // NOT VALID comes out as a column c of type "c"; PostgreSQL reserves the word: a constraint.
      ConstraintChecks.misreadAsColumn(table, column, out);
      return;
    }
    String name = column.columnName().getText();
    String type = column.dataType() == null ? "" : column.dataType().getText();
    boolean serial = SERIAL_TYPES.contains(type.toLowerCase(Locale.ROOT));
    boolean notNull = false;
    boolean hasDefault = false;
    boolean primaryKey = false;
    for (ColumnConstraintContext constraint : column.columnConstraint()) {
      ColumnConstraintOptionContext o = constraint.columnConstraintOption();
      if (o.NOT() != null && o.NULL() != null) {
        notNull = true;
      } else if (o.DEFAULT() != null) {
        hasDefault = true;
        String volatileCall = volatileCall(o.defaultExpr());
        if (volatileCall != null) {
          out.add(Message.VOLATILE_DEFAULT_COLUMN.with(name, table, volatileCall));
        }
      } else if (o.GENERATED() != null && o.STORED() != null) {
        hasDefault = true;
        out.add(Message.STORED_GENERATED_COLUMN.with(name, table));
      } else if (o.GENERATED() != null && o.IDENTITY() != null) {
        hasDefault = true;
        out.add(Message.IDENTITY_COLUMN.with(name, table));
      } else if (o.primaryKey() != null) {
        primaryKey = true;
      } else if (o.UNIQUE() != null) {
        out.add(Message.UNIQUE_COLUMN.with(name, table));
      } else if (o.REFERENCES() != null) {
        out.add(Message.REFERENCES_COLUMN.with(name, Names.shown(o.tableName())));
      }
    }
    if (primaryKey) {
      out.add(Message.PRIMARY_KEY_COLUMN.with(name, table));
    } else if (serial) {
      out.add(Message.SERIAL_COLUMN.with(type.toLowerCase(Locale.ROOT), name, table));
    }
    if (notNull && !hasDefault && !serial) {
      out.add(Message.REQUIRED_COLUMN.with(name, table));
    }
  }

  /** The first function a DEFAULT calls that may be volatile; null when it calls none. */
  private static String volatileCall(ParseTree expr) {
    if (expr == null) {
      return null;
    }
    if (expr instanceof FuncApplicationContext f) {
      String name = Names.last(f.funcName());
      if (!NON_VOLATILE.contains(name)) {
        return name;
      }
    }
    for (int i = 0; i < expr.getChildCount(); i++) {
      String inner = volatileCall(expr.getChild(i));
      if (inner != null) {
        return inner;
      }
    }
    return null;
  }
}
