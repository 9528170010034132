package io.dbbinding.lint;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.AlterTableContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.BeginTransactionContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.CommitContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.CreateIndexContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.CreateTableContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.DropIndexContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.DropTableContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.EndContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ReindexContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.RollbackContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.StartTransactionContext;

/**
 * The rules, applied to the statements of one migration in order: each statement goes to the checks
 * for its kind ({@link IndexChecks}, {@link DropTableChecks}, {@link AlterTableChecks}), which
 * share a {@link FileState}. It remembers what the migration itself created: a statement on a table
 * created earlier in the same migration is exempt, since no one else can be using that table yet.
 */
final class FileChecks {
  private final FileState file;
  private final IndexChecks indexes;
  private final DropTableChecks dropTable;
  private final AlterTableChecks alterTable;

  /**
   * @param transactional whether the migration runs in a transaction: Flyway runs a file in one
   *     unless every statement in it is one PostgreSQL refuses inside a transaction
   */
  FileChecks(boolean transactional) {
    this.file = new FileState(transactional);
    this.indexes = new IndexChecks(file);
    this.dropTable = new DropTableChecks(file);
    this.alterTable = new AlterTableChecks(file);
  }

  /** Whether PostgreSQL refuses this statement inside a transaction block. */
  static boolean nonTransactional(ParserRuleContext statement) {
    return IndexChecks.nonTransactional(statement);
  }

  List<Finding> check(ParserRuleContext statement) {
    List<Finding> out = new ArrayList<>();
    switch (statement) {
      case BeginTransactionContext b -> file.explicitTransaction(true);
      case StartTransactionContext s -> file.explicitTransaction(true);
      case CommitContext c -> file.explicitTransaction(false);
      case EndContext e -> file.explicitTransaction(false);
      case RollbackContext r -> file.explicitTransaction(false);
      case CreateTableContext c -> file.createdTable(Names.last(c.tableName()));
      case CreateIndexContext c -> indexes.createIndex(c, out);
      case DropIndexContext d -> indexes.dropIndex(d, out);
      case ReindexContext r -> indexes.reindex(r, out);
      case DropTableContext d -> dropTable.dropTable(d, out);
      case AlterTableContext a -> alterTable.alterTable(a, out);
      default -> {}
    }
    return out;
  }
}
