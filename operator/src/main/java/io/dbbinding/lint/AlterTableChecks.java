package io.dbbinding.lint;

import java.util.List;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AlterDefinitionClauseContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AlterTableActionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AlterTableContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ModifyColumnSpecificationContext;

/**
 * The rules for ALTER TABLE: renames, dropped columns and changed columns here; each action that
 * adds a column or a constraint to {@link AddColumnChecks} and {@link ConstraintChecks}. A table
 * created earlier in the same migration is exempt from all of them.
 */
final class AlterTableChecks {
  private final FileState file;
  private final AddColumnChecks addColumn = new AddColumnChecks();
  private final ConstraintChecks constraints;

  AlterTableChecks(FileState file) {
    this.file = file;
    this.constraints = new ConstraintChecks(file);
  }

  void alterTable(AlterTableContext a, List<Finding> out) {
    if (a.tableNameClause() == null || a.alterDefinitionClause() == null) {
      return; // ALTER TABLE ALL IN TABLESPACE ...
    }
    String table = Names.last(a.tableNameClause().tableName());
    String shown = Names.shown(a.tableNameClause().tableName());
    AlterDefinitionClauseContext def = a.alterDefinitionClause();
    if (file.createdHere(table)) {
      if (def.renameTableSpecification() != null) {
        file.createdTable(Names.identifier(def.renameTableSpecification().identifier().getText()));
      }
      return; // created in this migration: no one else can be using it
    }
    if (def.renameTableSpecification() != null) {
      out.add(
          Message.RENAME_TABLE.with(shown, def.renameTableSpecification().identifier().getText()));
    }
    if (def.renameColumnSpecification() != null) {
      out.add(
          Message.RENAME_COLUMN.with(
              def.renameColumnSpecification().columnName(0).getText(), shown));
    }
    if (def.alterTableActions() == null) {
      return;
    }
    for (AlterTableActionContext action : def.alterTableActions().alterTableAction()) {
      if (action.addColumnSpecification() != null) {
        addColumn.addColumn(shown, action.addColumnSpecification(), out);
      } else if (action.modifyColumnSpecification() != null) {
        modifyColumn(shown, action.modifyColumnSpecification(), out);
      } else if (action.addConstraintSpecification() != null) {
        constraints.addConstraint(shown, action.addConstraintSpecification(), out);
      } else if (action.validateConstraintSpecification() != null) {
        constraints.validateConstraint(shown, action.validateConstraintSpecification(), out);
      } else if (action.dropColumnSpecification() != null) {
        out.add(
            Message.DROP_COLUMN.with(
                action.dropColumnSpecification().columnName().getText(), shown));
      }
    }
  }

  /** ALTER COLUMN: SET NOT NULL and a new type check or rewrite every row. */
  private static void modifyColumn(
      String table, ModifyColumnSpecificationContext m, List<Finding> out) {
    String column = m.modifyColumn().columnName().getText();
    if (m.SET() != null && m.NOT() != null && m.NULL() != null) {
      out.add(Message.SET_NOT_NULL.with(table, column));
    } else if (m.TYPE() != null && m.dataType() != null) {
      out.add(Message.CHANGE_COLUMN_TYPE.with(table, column, m.dataType().getText()));
    }
  }
}
