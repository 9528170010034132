package io.dbbinding.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/** How PostgreSQL reads a name: unquoted folds to lower case; quoted stays as written. */
final class Names {
  private Names() {}

  /**
   * The last part of a possibly qualified name ({@code s.t} is {@code t}), as PostgreSQL reads it.
   */
  static String last(ParserRuleContext name) {
    Token last = null;
    for (Token t : terminals(name)) {
      if (!t.getText().equals(".")) {
        last = t;
      }
    }
    return last == null ? "" : identifier(last.getText());
  }

  /** The name as written, for messages. */
  static String shown(ParserRuleContext name) {
    return String.join("", terminals(name).stream().map(Token::getText).toList());
  }

  static String identifier(String text) {
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      return text.substring(1, text.length() - 1).replace("\"\"", "\"");
    }
    return text.toLowerCase(Locale.ROOT);
  }

  private static List<Token> terminals(ParseTree tree) {
    List<Token> out = new ArrayList<>();
    collect(tree, out);
    return out;
  }

  private static void collect(ParseTree tree, List<Token> out) {
    if (tree instanceof TerminalNode n) {
      out.add(n.getSymbol());
      return;
    }
    for (int i = 0; i < tree.getChildCount(); i++) {
      collect(tree.getChild(i), out);
    }
  }
}
