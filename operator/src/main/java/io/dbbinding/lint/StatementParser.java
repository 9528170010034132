package io.dbbinding.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementLexer;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser;

/**
 * Parses one statement with ShardingSphere's PostgreSQL grammar. Two gaps of that grammar are
 * bridged at the token level, never by rewriting text: a dollar-quoted string ({@code $$ ... $$},
 * {@code $body$ ... $body$}) becomes the one string constant it is, and {@code "a""b"} the one
 * quoted identifier it is. {@code DO} blocks, which the grammar lacks, are recognised here.
 */
final class StatementParser {
  /** A parse: the statement's tree, or why there is none. */
  record Parsed(ParserRuleContext statement, boolean doBlock, String error) {
    boolean ok() {
      return error == null;
    }
  }

  Parsed parse(SqlStatement s) {
    if (!s.lexable()) {
      return new Parsed(null, false, "the lexer could not read it");
    }
    List<Token> tokens = bridge(s.tokens());
    if (isDoBlock(tokens)) {
      return new Parsed(null, true, null);
    }
    // SLL first: fast, and exact whenever it succeeds; LL only for what SLL cannot decide.
    PostgreSQLStatementParser parser = parser(tokens);
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      return tree(parser.execute());
    } catch (ParseCancellationException sllFailed) {
      parser = parser(tokens);
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      parser.setErrorHandler(new DefaultErrorStrategy());
      List<String> errors = new ArrayList<>();
      parser.removeErrorListeners();
      parser.addErrorListener(
          new BaseErrorListener() {
            @Override
            public void syntaxError(
                Recognizer<?, ?> recognizer,
                Object symbol,
                int line,
                int column,
                String msg,
                RecognitionException e) {
              errors.add(near(symbol, line));
            }
          });
      PostgreSQLStatementParser.ExecuteContext tree = parser.execute();
      if (!errors.isEmpty()) {
        return new Parsed(null, false, errors.get(0));
      }
      return tree(tree);
    }
  }

  private static Parsed tree(PostgreSQLStatementParser.ExecuteContext execute) {
    for (int i = 0; i < execute.getChildCount(); i++) {
      if (execute.getChild(i) instanceof ParserRuleContext statement) {
        return new Parsed(statement, false, null);
      }
    }
    return new Parsed(null, false, "not a statement");
  }

  private static String near(Object symbol, int line) {
    if (symbol instanceof Token t && t.getType() != Token.EOF) {
      return "syntax error at or near \"" + t.getText() + "\" on line " + line;
    }
    return "syntax error at the end of the statement";
  }

  private static PostgreSQLStatementParser parser(List<Token> tokens) {
    PostgreSQLStatementParser parser =
        new PostgreSQLStatementParser(new CommonTokenStream(new ListTokenSource(tokens)));
    parser.removeErrorListeners();
    return parser;
  }

  /** DO [LANGUAGE name] 'body' [LANGUAGE name]: an anonymous code block. */
  private static boolean isDoBlock(List<Token> tokens) {
    if (tokens.isEmpty() || !tokens.get(0).getText().equalsIgnoreCase("do")) {
      return false;
    }
    int strings = 0;
    int i = 1;
    while (i < tokens.size()) {
      Token t = tokens.get(i);
      if (t.getType() == PostgreSQLStatementLexer.STRING_) {
        strings++;
        i++;
      } else if (t.getText().toLowerCase(Locale.ROOT).equals("language") && i + 1 < tokens.size()) {
        i += 2;
      } else {
        return false;
      }
    }
    return strings == 1;
  }

  /** Joins each dollar-quoted string into one string token, and split quoted identifiers. */
  static List<Token> bridge(List<Token> tokens) {
    List<Token> out = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.getType() == PostgreSQLStatementLexer.BEGIN_DOLLAR_STRING_CONSTANT) {
        StringBuilder body = new StringBuilder();
        int j = i + 1;
        while (j < tokens.size()
            && tokens.get(j).getType() != PostgreSQLStatementLexer.END_DOLLAR_STRING_CONSTANT) {
          body.append(tokens.get(j).getText());
          j++;
        }
        CommonToken string = new CommonToken(t);
        string.setType(PostgreSQLStatementLexer.STRING_);
        string.setText("'" + body.toString().replace("'", "''") + "'");
        out.add(string);
        i = j; // the closing tag; a missing one leaves the statement to fail parsing
        continue;
      }
      if (isQuotedIdentifier(t) && !out.isEmpty()) {
        Token previous = out.get(out.size() - 1);
        if (isQuotedIdentifier(previous) && previous.getStopIndex() + 1 == t.getStartIndex()) {
          CommonToken joined = new CommonToken(previous);
          joined.setText(previous.getText() + t.getText());
          joined.setStopIndex(t.getStopIndex());
          out.set(out.size() - 1, joined);
          continue;
        }
      }
      out.add(t);
    }
    return out;
  }

  private static boolean isQuotedIdentifier(Token t) {
    return t.getType() == PostgreSQLStatementLexer.IDENTIFIER_ && t.getText().startsWith("\"");
  }
}
