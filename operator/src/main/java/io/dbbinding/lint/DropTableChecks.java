package io.dbbinding.lint;

import java.util.ArrayList;
import java.util.List;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.DropTableContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.TableNameContext;

/** The rule for DROP TABLE: a table the running application may use is dropped a release later. */
final class DropTableChecks {
  private final FileState file;

  DropTableChecks(FileState file) {
    this.file = file;
  }

  void dropTable(DropTableContext d, List<Finding> out) {
    List<String> existing = new ArrayList<>();
    for (TableNameContext t : d.tableNames().tableName()) {
      if (!file.createdHere(Names.last(t))) {
        existing.add(Names.shown(t));
      }
    }
    if (!existing.isEmpty()) {
      out.add(Message.DROP_TABLE.with(String.join(", ", existing)));
    }
  }
}
