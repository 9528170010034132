package io.dbbinding.lint;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementLexer;

/**
 * Splits a migration into statements with the PostgreSQL lexer itself, so that a semicolon inside a
 * string, a quoted identifier, a dollar-quoted body or a (nested) comment never ends a statement,
 * and several statements on one line are told apart. Comments between two statements are where
 * waivers live: {@code -- dbbinding:allow rule-a, rule-b} applies to the statement after it.
 */
final class ScriptSplitter {
  static final String WAIVER = "dbbinding:allow";

  List<SqlStatement> split(String sql) {
    PostgreSQLStatementLexer lexer = new PostgreSQLStatementLexer(CharStreams.fromString(sql));
    int[] errors = {0};
    lexer.removeErrorListeners();
    lexer.addErrorListener(
        new BaseErrorListener() {
          @Override
          public void syntaxError(
              Recognizer<?, ?> recognizer,
              Object symbol,
              int line,
              int column,
              String msg,
              RecognitionException e) {
            errors[0]++;
          }
        });
    List<SqlStatement> statements = new ArrayList<>();
    List<Token> tokens = new ArrayList<>();
    Set<String> waivers = new HashSet<>();
    boolean lexable = true;
    for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
      if (errors[0] > 0) {
        lexable = false;
        errors[0] = 0;
      }
      if (t.getChannel() != Token.DEFAULT_CHANNEL) {
        if (tokens.isEmpty()) {
          waivers.addAll(waivers(t.getText()));
        }
        continue;
      }
      if (t.getType() == PostgreSQLStatementLexer.SEMI_) {
        if (!tokens.isEmpty()) {
          statements.add(new SqlStatement(tokens.get(0).getLine(), tokens, waivers, lexable));
        }
        tokens = new ArrayList<>();
        waivers = new HashSet<>();
        lexable = true;
        continue;
      }
      tokens.add(t);
    }
    if (errors[0] > 0) {
      lexable = false;
    }
    if (!tokens.isEmpty()) {
      statements.add(new SqlStatement(tokens.get(0).getLine(), tokens, waivers, lexable));
    }
    return statements;
  }

  /** The rule names in a comment such as {@code -- dbbinding:allow a, b} or a block comment. */
  static Set<String> waivers(String comment) {
    String text = comment.strip();
    if (text.startsWith("--")) {
      text = text.substring(2);
    } else if (text.startsWith("/*") && text.endsWith("*/") && text.length() >= 4) {
      text = text.substring(2, text.length() - 2);
    }
    text = text.strip();
    if (!text.toLowerCase(Locale.ROOT).startsWith(WAIVER)) {
      return Set.of();
    }
    Set<String> names = new HashSet<>();
    for (String part : text.substring(WAIVER.length()).split("[,\\s]+")) {
      if (!part.isBlank()) {
        names.add(part.toLowerCase(Locale.ROOT));
      }
    }
    return names;
  }
}
