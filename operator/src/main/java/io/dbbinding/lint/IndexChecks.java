package io.dbbinding.lint;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementLexer;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.CreateIndexContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.DropIndexContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.QualifiedNameListContext;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser.ReindexContext;

/** The rules for CREATE INDEX, DROP INDEX and REINDEX: build and drop indexes concurrently. */
final class IndexChecks {
  private final FileState file;

  IndexChecks(FileState file) {
    this.file = file;
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

  void createIndex(CreateIndexContext c, List<Finding> out) {
    String table = Names.last(c.tableName());
    if (c.indexName() != null) {
      file.createdIndex(Names.last(c.indexName()));
    }
    boolean concurrent = concurrently(c.concurrentlyClause());
    if (concurrent && file.inExplicitTransaction()) {
      out.add(Message.CONCURRENT_INDEX_IN_EXPLICIT_TRANSACTION.with(Names.shown(c.tableName())));
    } else if (concurrent && file.transactional()) {
      out.add(Message.CONCURRENT_INDEX_IN_TRANSACTIONAL_FILE.with(Names.shown(c.tableName())));
    }
    if (!concurrent && !file.createdHere(table)) {
      out.add(Message.INDEX_WITHOUT_CONCURRENTLY.with(Names.shown(c.tableName())));
    }
  }

  void dropIndex(DropIndexContext d, List<Finding> out) {
    if (concurrently(d.concurrentlyClause())) {
      return;
    }
    List<String> existing = new ArrayList<>();
    for (ParserRuleContext name : qualifiedNames(d.qualifiedNameList())) {
      if (!file.indexCreatedHere(Names.last(name))) {
        existing.add(Names.shown(name));
      }
    }
    if (!existing.isEmpty()) {
      out.add(Message.DROP_INDEX_WITHOUT_CONCURRENTLY.with(String.join(", ", existing)));
    }
  }

  void reindex(ReindexContext r, List<Finding> out) {
    if (!hasConcurrently(r)) {
      out.add(Message.REINDEX_WITHOUT_CONCURRENTLY.with());
    }
  }

  private static List<ParserRuleContext> qualifiedNames(ParserRuleContext list) {
    List<ParserRuleContext> names = new ArrayList<>();
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
}
