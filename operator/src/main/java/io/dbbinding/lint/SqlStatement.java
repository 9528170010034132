package io.dbbinding.lint;

import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * One statement of a migration, as the lexer saw it.
 *
 * @param line the line of its first token, from 1
 * @param tokens its tokens, comments and the closing semicolon left out
 * @param waivers the rule names waived by {@code -- dbbinding:allow} comments before it
 * @param lexable false when the lexer met characters it could not read
 */
record SqlStatement(int line, List<Token> tokens, Set<String> waivers, boolean lexable) {
  SqlStatement {
    tokens = List.copyOf(tokens);
    waivers = Set.copyOf(waivers);
  }
}
