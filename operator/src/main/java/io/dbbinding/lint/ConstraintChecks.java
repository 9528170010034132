package io.dbbinding.lint;

import java.util.List;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AddConstraintSpecificationContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ColumnConstraintContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ColumnConstraintOptionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ColumnDefinitionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.TableConstraintContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.TableConstraintOptionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ValidateConstraintSpecificationContext;

/**
 * The rules for ALTER TABLE ... ADD CONSTRAINT and VALIDATE CONSTRAINT: a check or foreign key is
 * added NOT VALID and validated in a later migration; a unique or primary key constraint uses an
 * index built concurrently beforehand.
 */
final class ConstraintChecks {
  private final FileState file;

  ConstraintChecks(FileState file) {
    this.file = file;
  }

  void addConstraint(String table, AddConstraintSpecificationContext add, List<Finding> out) {
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
      file.addedNotValid(name);
    }
    TableConstraintOptionContext o = constraint.tableConstraintOption();
    String shownName = name.isEmpty() ? "" : name + " ";
    if (o.FOREIGN() != null) {
      if (!notValid) {
        out.add(
            Message.FOREIGN_KEY_WITHOUT_NOT_VALID.with(
                shownName, table, Names.shown(o.tableName())));
      }
    } else if (o.checkOption() != null) {
      if (!notValid) {
        out.add(Message.CHECK_WITHOUT_NOT_VALID.with(shownName, table));
      }
    } else if (o.primaryKey() != null) {
      out.add(Message.PRIMARY_KEY_CONSTRAINT.with(table));
    } else if (o.UNIQUE() != null) {
      out.add(Message.UNIQUE_CONSTRAINT.with(shownName, table));
    }
  }

  /**
   * ADD CONSTRAINT c ... as the grammar reads it when NOT VALID is missing: a column named
   * CONSTRAINT of type c.
   */
  static void misreadAsColumn(String table, ColumnDefinitionContext column, List<Finding> out) {
    String name = column.dataType() == null ? "" : Names.identifier(column.dataType().getText());
    for (ColumnConstraintContext constraint : column.columnConstraint()) {
      ColumnConstraintOptionContext o = constraint.columnConstraintOption();
      if (o.checkOption() != null) {
        out.add(Message.CHECK_WITHOUT_NOT_VALID.with(name + " ", table));
      } else if (o.UNIQUE() != null) {
        out.add(Message.UNIQUE_CONSTRAINT.with(name + " ", table));
      } else if (o.primaryKey() != null) {
        out.add(Message.PRIMARY_KEY_CONSTRAINT.with(table));
      }
    }
  }

  void validateConstraint(
      String table, ValidateConstraintSpecificationContext v, List<Finding> out) {
    String name = Names.last(v.constraintName());
    if (file.addedNotValidHere(name)) {
      out.add(Message.VALIDATE_IN_SAME_MIGRATION.with(name, table));
    }
  }
}
