package io.dbbinding.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokens of one SQL statement as PostgreSQL's lexer sees them: words, quoted identifiers,
 * string constants (plain, E'', dollar-quoted) and punctuation, with comments dropped. Enough to
 * read the leading keywords of a statement without being fooled by a comment or a string that
 * happens to hold them.
 */
final class SqlTokens {
  /** What a token is. */
  enum Kind {
    WORD,
    QUOTED_IDENTIFIER,
    STRING,
    NUMBER,
    SYMBOL
  }

  /** One token; {@code text} is the identifier as PostgreSQL folds it, or the symbol. */
  record Token(Kind kind, String text, int depth) {
    boolean is(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isIdentifier() {
      return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER;
    }
  }

  private SqlTokens() {}

  /** The tokens of {@code sql}; {@code depth} counts enclosing parentheses. */
  static List<Token> of(String sql) {
    List<Token> out = new ArrayList<>();
    int depth = 0;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int nesting = 0;
        do {
          if (sql.startsWith("/*", i)) {
            nesting++;
            i += 2;
          } else if (sql.startsWith("*/", i)) {
            nesting--;
            i += 2;
          } else {
            i++;
          }
        } while (i < n && nesting > 0);
      } else if (c == '\'' || ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'')) {
        boolean backslashes = c != '\'';
        i += backslashes ? 2 : 1;
        while (i < n) {
          char d = sql.charAt(i);
          if (backslashes && d == '\\') {
            i += 2;
          } else if (d == '\'' && i + 1 < n && sql.charAt(i + 1) == '\'') {
            i += 2;
          } else if (d == '\'') {
            i++;
            break;
          } else {
            i++;
          }
        }
        out.add(new Token(Kind.STRING, "", depth));
      } else if (c == '"') {
        StringBuilder id = new StringBuilder();
        i++;
        while (i < n) {
          char d = sql.charAt(i);
          if (d == '"' && i + 1 < n && sql.charAt(i + 1) == '"') {
            id.append('"');
            i += 2;
          } else if (d == '"') {
            i++;
            break;
          } else {
            id.append(d);
            i++;
          }
        }
        out.add(new Token(Kind.QUOTED_IDENTIFIER, id.toString(), depth));
      } else if (c == '$' && dollarTag(sql, i) != null) {
        String tag = dollarTag(sql, i);
        int end = sql.indexOf(tag, i + tag.length());
        i = end < 0 ? n : end + tag.length();
        out.add(new Token(Kind.STRING, "", depth));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n
            && (Character.isLetterOrDigit(sql.charAt(i))
                || sql.charAt(i) == '_'
                || sql.charAt(i) == '$')) {
          i++;
        }
        out.add(new Token(Kind.WORD, sql.substring(start, i).toLowerCase(Locale.ROOT), depth));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
          i++;
        }
        out.add(new Token(Kind.NUMBER, sql.substring(start, i), depth));
      } else {
        if (c == ')') {
          depth = Math.max(0, depth - 1);
        }
        out.add(new Token(Kind.SYMBOL, String.valueOf(c), depth));
        if (c == '(') {
          depth++;
        }
        i++;
      }
    }
    return out;
  }

  /** The dollar-quote tag starting at {@code i} ({@code $$} or {@code $name$}), or null. */
  private static String dollarTag(String sql, int i) {
    int j = i + 1;
    while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    if (j < sql.length()
        && sql.charAt(j) == '$'
        && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
      return sql.substring(i, j + 1);
    }
    return null;
  }
}
