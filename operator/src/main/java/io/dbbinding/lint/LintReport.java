package io.dbbinding.lint;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the linter found in a set of migrations, in file order and then line order.
 *
 * @param scripts how many migrations were linted
 */
public record LintReport(int scripts, List<Problem> problems) {
  public LintReport {
    problems = List.copyOf(problems);
  }

  public boolean clean() {
    return problems.isEmpty();
  }

  /** The rule names each file breaks, files in order, each rule once. */
  public Map<String, Set<String>> rulesByScript() {
    Map<String, Set<String>> rules = new LinkedHashMap<>();
    for (Problem p : problems) {
      rules.computeIfAbsent(p.script(), s -> new LinkedHashSet<>()).add(p.rule());
    }
    return rules;
  }

  /** One line per file: {@code V2__idx.sql: require-concurrent-index-creation (line 3)}. */
  public List<String> summaryByScript() {
    Map<String, StringBuilder> lines = new LinkedHashMap<>();
    for (Problem p : problems) {
      StringBuilder b = lines.get(p.script());
      if (b == null) {
        lines.put(p.script(), new StringBuilder(p.script()).append(": "));
      } else {
        b.append(", ");
      }
      lines.get(p.script()).append(p.rule()).append(" (line ").append(p.line()).append(')');
    }
    return lines.values().stream().map(StringBuilder::toString).toList();
  }
}
