package io.dbbinding.lint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementLexer;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AddColumnSpecificationContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AddConstraintSpecificationContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AlterDefinitionClauseContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AlterTableActionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AlterTableContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.BeginTransactionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ColumnConstraintContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ColumnConstraintOptionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ColumnDefinitionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.CommitContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.CreateIndexContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.CreateTableContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.DropIndexContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.DropTableContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.EndContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.FuncApplicationContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ModifyColumnSpecificationContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.QualifiedNameListContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ReindexContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.RollbackContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.StartTransactionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.TableConstraintContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.TableConstraintOptionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.TableNameContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ValidateConstraintSpecificationContext;

/**
 * The rules, applied to the statements of one migration in order. It remembers what the migration
 * itself created: a statement on a table created earlier in the same migration is exempt, since no
 * one else can be using that table yet.
 */
final class FileChecks {
  /** One rule broken by one statement. */
  record Finding(Rule rule, String message) {}

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

  private final boolean transactional;
  private final Set<String> createdTables = new HashSet<>();
  private final Set<String> createdIndexes = new HashSet<>();
  private final Set<String> notValidConstraints = new HashSet<>();
  private boolean inExplicitTransaction;

  /**
   * @param transactional whether the migration runs in a transaction: Flyway runs a file in one
   *     unless every statement in it is one PostgreSQL refuses inside a transaction
   */
  FileChecks(boolean transactional) {
    this.transactional = transactional;
  }

  /** Whether PostgreSQL refuses this statement inside a transaction block. */
  static boolean nonTransactional(ParserRuleContext statement) {
    return switch (statement) {
      case CreateIndexContext c -> concurrently(c.concurrentlyClause());
      case DropIndexContext d -> concurrently(d.concurrentlyClause());
      case ReindexContext r -> hasConcurrently(r);
      default -> false;
    };
  }

  List<Finding> check(ParserRuleContext statement) {
    List<Finding> out = new ArrayList<>();
    switch (statement) {
      case BeginTransactionContext b -> inExplicitTransaction = true;
      case StartTransactionContext s -> inExplicitTransaction = true;
      case CommitContext c -> inExplicitTransaction = false;
      case EndContext e -> inExplicitTransaction = false;
      case RollbackContext r -> inExplicitTransaction = false;
      case CreateTableContext c -> createdTables.add(Names.last(c.tableName()));
      case CreateIndexContext c -> createIndex(c, out);
      case DropIndexContext d -> dropIndex(d, out);
      case ReindexContext r -> reindex(r, out);
      case DropTableContext d -> dropTable(d, out);
      case AlterTableContext a -> alterTable(a, out);
      default -> {}
    }
    return out;
  }

  private void createIndex(CreateIndexContext c, List<Finding> out) {
    String table = Names.last(c.tableName());
    if (c.indexName() != null) {
      createdIndexes.add(Names.last(c.indexName()));
    }
    boolean concurrent = concurrently(c.concurrentlyClause());
    if (concurrent && (inExplicitTransaction || transactional)) {
      out.add(
          finding(
              Rule.BAN_CONCURRENT_INDEX_CREATION_IN_TRANSACTION,
              "CREATE INDEX CONCURRENTLY on "
                  + Names.shown(c.tableName())
                  + (inExplicitTransaction
                      ? " inside BEGIN ... COMMIT"
                      : " in a migration with other statements, which runs in a transaction")));
    }
    if (!concurrent && !createdTables.contains(table)) {
      out.add(
          finding(
              Rule.REQUIRE_CONCURRENT_INDEX_CREATION,
              "CREATE INDEX on "
                  + Names.shown(c.tableName())
                  + " without CONCURRENTLY blocks writes to it until the index is built"));
    }
  }

  private void dropIndex(DropIndexContext d, List<Finding> out) {
    if (concurrently(d.concurrentlyClause())) {
      return;
    }
    List<String> existing = new ArrayList<>();
    for (ParseTree name : qualifiedNames(d.qualifiedNameList())) {
      if (!createdIndexes.contains(Names.last((ParserRuleContext) name))) {
        existing.add(Names.shown((ParserRuleContext) name));
      }
    }
    if (!existing.isEmpty()) {
      out.add(
          finding(
              Rule.REQUIRE_CONCURRENT_INDEX_DELETION,
              "DROP INDEX "
                  + String.join(", ", existing)
                  + " without CONCURRENTLY blocks reads and writes on its table"));
    }
  }

  private static List<ParseTree> qualifiedNames(ParserRuleContext list) {
    List<ParseTree> names = new ArrayList<>();
    for (int i = 0; i < list.getChildCount(); i++) {
      ParseTree child = list.getChild(i);
      if (child instanceof QualifiedNameListContext nested) {
        names.addAll(qualifiedNames(nested));
      } else if (child instanceof ParserRuleContext p) {
        names.add(p);
      }
    }
    return names;
  }

  private void reindex(ReindexContext r, List<Finding> out) {
    if (!hasConcurrently(r)) {
      out.add(
          finding(
              Rule.REQUIRE_CONCURRENT_REINDEX,
              "REINDEX without CONCURRENTLY blocks writes to the table, and reads that use the"
                  + " index"));
    }
  }

  private void dropTable(DropTableContext d, List<Finding> out) {
    List<String> existing = new ArrayList<>();
    for (TableNameContext t : d.tableNames().tableName()) {
      if (!createdTables.contains(Names.last(t))) {
        existing.add(Names.shown(t));
      }
    }
    if (!existing.isEmpty()) {
      out.add(
          finding(
              Rule.BAN_DROP_TABLE,
              "DROP TABLE "
                  + String.join(", ", existing)
                  + " breaks the running application, which may still use it"));
    }
  }

  private void alterTable(AlterTableContext a, List<Finding> out) {
    if (a.tableNameClause() == null || a.alterDefinitionClause() == null) {
      return; // ALTER TABLE ALL IN TABLESPACE ...
    }
    String table = Names.last(a.tableNameClause().tableName());
    String shown = Names.shown(a.tableNameClause().tableName());
    AlterDefinitionClauseContext def = a.alterDefinitionClause();
    if (createdTables.contains(table)) {
      if (def.renameTableSpecification() != null) {
        createdTables.add(Names.identifier(def.renameTableSpecification().identifier().getText()));
      }
      return; // created in this migration: no one else can be using it
    }
    if (def.renameTableSpecification() != null) {
      out.add(
          finding(
              Rule.RENAMING_TABLE,
              "renaming "
                  + shown
                  + " to "
                  + def.renameTableSpecification().identifier().getText()
                  + " breaks the running application, which still uses the old name"));
    }
    if (def.renameColumnSpecification() != null) {
      out.add(
          finding(
              Rule.RENAMING_COLUMN,
              "renaming column "
                  + def.renameColumnSpecification().columnName(0).getText()
                  + " of "
                  + shown
                  + " breaks the running application, which still uses the old name"));
    }
    if (def.alterTableActions() == null) {
      return;
    }
    for (AlterTableActionContext action : def.alterTableActions().alterTableAction()) {
      if (action.addColumnSpecification() != null) {
        addColumn(shown, action.addColumnSpecification(), out);
      } else if (action.modifyColumnSpecification() != null) {
        modifyColumn(shown, action.modifyColumnSpecification(), out);
      } else if (action.addConstraintSpecification() != null) {
        addConstraint(shown, action.addConstraintSpecification(), out);
      } else if (action.validateConstraintSpecification() != null) {
        validateConstraint(shown, action.validateConstraintSpecification(), out);
      } else if (action.dropColumnSpecification() != null) {
        out.add(
            finding(
                Rule.BAN_DROP_COLUMN,
                "dropping column "
                    + action.dropColumnSpecification().columnName().getText()
                    + " of "
                    + shown
                    + " breaks the running application, which may still read it"));
      }
    }
  }

  private void addColumn(String table, AddColumnSpecificationContext add, List<Finding> out) {
    ColumnDefinitionContext column = add.columnDefinition();
    if (add.COLUMN() == null
        && column.columnName().getStart().getType() == PostgreSQLStatementLexer.CONSTRAINT) {
      // The grammar lets CONSTRAINT be a column name, so "ADD CONSTRAINT c CHECK (...)" without
      // NOT VALID comes out as a column c of type "c"; PostgreSQL reserves the word: a constraint.
      misreadConstraint(table, column, out);
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
          out.add(
              finding(
                  Rule.ADDING_FIELD_WITH_DEFAULT,
                  "adding column "
                      + name
                      + " to "
                      + table
                      + " with the volatile DEFAULT "
                      + volatileCall
                      + "() rewrites the whole table"));
        }
      } else if (o.GENERATED() != null && o.STORED() != null) {
        hasDefault = true;
        out.add(
            finding(
                Rule.ADDING_FIELD_WITH_DEFAULT,
                "adding the stored generated column "
                    + name
                    + " to "
                    + table
                    + " rewrites the whole table"));
      } else if (o.GENERATED() != null && o.IDENTITY() != null) {
        hasDefault = true;
        out.add(
            finding(
                Rule.ADDING_FIELD_WITH_DEFAULT,
                "adding the identity column "
                    + name
                    + " to "
                    + table
                    + " fills every row and rewrites the whole table"));
      } else if (o.primaryKey() != null) {
        primaryKey = true;
      } else if (o.UNIQUE() != null) {
        out.add(
            finding(
                Rule.DISALLOWED_UNIQUE_CONSTRAINT,
                "adding column "
                    + name
                    + " UNIQUE builds the unique index on "
                    + table
                    + " while holding ACCESS EXCLUSIVE"));
      } else if (o.REFERENCES() != null) {
        out.add(
            finding(
                Rule.ADDING_FOREIGN_KEY_CONSTRAINT,
                "adding column "
                    + name
                    + " REFERENCES "
                    + Names.shown(o.tableName())
                    + " checks every row while blocking writes to both tables"));
      }
    }
    if (primaryKey) {
      out.add(
          finding(
              Rule.ADDING_SERIAL_PRIMARY_KEY_FIELD,
              "adding the primary key column "
                  + name
                  + " to "
                  + table
                  + " builds its index while holding ACCESS EXCLUSIVE"));
    } else if (serial) {
      out.add(
          finding(
              Rule.ADDING_FIELD_WITH_DEFAULT,
              "adding the "
                  + type.toLowerCase(Locale.ROOT)
                  + " column "
                  + name
                  + " to "
                  + table
                  + " fills every row from a sequence and rewrites the whole table"));
    }
    if (notNull && !hasDefault && !serial) {
      out.add(
          finding(
              Rule.ADDING_REQUIRED_FIELD,
              "adding column "
                  + name
                  + " NOT NULL without a DEFAULT to "
                  + table
                  + " fails on a table that has rows"));
    }
  }

  private static void misreadConstraint(
      String table, ColumnDefinitionContext column, List<Finding> out) {
    String name = column.dataType() == null ? "" : Names.identifier(column.dataType().getText());
    for (ColumnConstraintContext constraint : column.columnConstraint()) {
      ColumnConstraintOptionContext o = constraint.columnConstraintOption();
      if (o.checkOption() != null) {
        out.add(
            finding(
                Rule.CONSTRAINT_MISSING_NOT_VALID,
                "adding the CHECK constraint "
                    + name
                    + " on "
                    + table
                    + " without NOT VALID checks every row while blocking reads and writes"));
      } else if (o.UNIQUE() != null) {
        out.add(
            finding(
                Rule.DISALLOWED_UNIQUE_CONSTRAINT,
                "adding the UNIQUE constraint "
                    + name
                    + " on "
                    + table
                    + " builds its index while holding ACCESS EXCLUSIVE"));
      } else if (o.primaryKey() != null) {
        out.add(
            finding(
                Rule.ADDING_SERIAL_PRIMARY_KEY_FIELD,
                "adding a primary key to "
                    + table
                    + " builds its index while holding ACCESS EXCLUSIVE"));
      }
    }
  }

  private static void modifyColumn(
      String table, ModifyColumnSpecificationContext m, List<Finding> out) {
    String column = m.modifyColumn().columnName().getText();
    if (m.SET() != null && m.NOT() != null && m.NULL() != null) {
      out.add(
          finding(
              Rule.ADDING_NOT_NULLABLE_FIELD,
              "SET NOT NULL on "
                  + table
                  + "."
                  + column
                  + " checks every row while blocking reads and writes"));
    } else if (m.TYPE() != null && m.dataType() != null) {
      out.add(
          finding(
              Rule.CHANGING_COLUMN_TYPE,
              "changing the type of "
                  + table
                  + "."
                  + column
                  + " to "
                  + m.dataType().getText()
                  + " rewrites the table and its indexes while blocking reads and writes"));
    }
  }

  private void addConstraint(
      String table, AddConstraintSpecificationContext add, List<Finding> out) {
    TableConstraintContext constraint = add.tableConstraint();
    if (constraint == null) {
      return; // ... USING INDEX: the index was built beforehand, the safe way
    }
    boolean notValid = add.NOT() != null && add.VALID() != null;
    String name =
        constraint.constraintClause() == null
            ? ""
            : Names.last(constraint.constraintClause().constraintName());
    if (notValid && !name.isEmpty()) {
      notValidConstraints.add(name);
    }
    TableConstraintOptionContext o = constraint.tableConstraintOption();
    String shownName = name.isEmpty() ? "" : name + " ";
    if (o.FOREIGN() != null) {
      if (!notValid) {
        out.add(
            finding(
                Rule.ADDING_FOREIGN_KEY_CONSTRAINT,
                "adding the foreign key "
                    + shownName
                    + "on "
                    + table
                    + " without NOT VALID checks every row while blocking writes to "
                    + table
                    + " and "
                    + Names.shown(o.tableName())));
      }
    } else if (o.checkOption() != null) {
      if (!notValid) {
        out.add(
            finding(
                Rule.CONSTRAINT_MISSING_NOT_VALID,
                "adding the CHECK constraint "
                    + shownName
                    + "on "
                    + table
                    + " without NOT VALID checks every row while blocking reads and writes"));
      }
    } else if (o.primaryKey() != null) {
      out.add(
          finding(
              Rule.ADDING_SERIAL_PRIMARY_KEY_FIELD,
              "adding a primary key to "
                  + table
                  + " builds its index while holding ACCESS EXCLUSIVE"));
    } else if (o.UNIQUE() != null) {
      out.add(
          finding(
              Rule.DISALLOWED_UNIQUE_CONSTRAINT,
              "adding the UNIQUE constraint "
                  + shownName
                  + "on "
                  + table
                  + " builds its index while holding ACCESS EXCLUSIVE"));
    }
  }

  private void validateConstraint(
      String table, ValidateConstraintSpecificationContext v, List<Finding> out) {
    String name = Names.last(v.constraintName());
    if (notValidConstraints.contains(name)) {
      out.add(
          finding(
              Rule.CONSTRAINT_MISSING_NOT_VALID,
              "VALIDATE CONSTRAINT "
                  + name
                  + " in the migration that added it NOT VALID keeps that statement's lock on "
                  + table
                  + " for the whole check"));
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

  private static boolean concurrently(ParserRuleContext clause) {
    return clause != null && hasConcurrently(clause);
  }

  private static boolean hasConcurrently(ParseTree tree) {
    if (tree instanceof TerminalNode n) {
      return n.getSymbol().getType() == PostgreSQLStatementLexer.CONCURRENTLY;
    }
    for (int i = 0; i < tree.getChildCount(); i++) {
      if (hasConcurrently(tree.getChild(i))) {
        return true;
      }
    }
    return false;
  }

  private static Finding finding(Rule rule, String what) {
    return new Finding(rule, what + "; instead " + rule.instead());
  }
}
