package io.dbbinding.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.lint.LintReport;
import io.dbbinding.lint.Problem;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints lint problems: three lines each for people, or the JSON objects the README documents. */
final class LintPrinter {
  private final ObjectMapper mapper = new ObjectMapper();

  /** {@code dbbinding lint}'s whole output. */
  void report(PrintWriter out, LintReport report, boolean json) {
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("command", "lint");
      body.put("problems", rows(report));
      try {
        out.println(mapper.writeValueAsString(body));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
      out.flush();
      return;
    }
    problems(out, report);
    if (report.clean()) {
      out.printf("No problems in %d migration%s.%n", report.scripts(), plural(report.scripts()));
    } else {
      out.printf(
          "%d problem%s in %d of %d migration%s.%n",
          report.problems().size(),
          plural(report.problems().size()),
          report.rulesByScript().size(),
          report.scripts(),
          plural(report.scripts()));
    }
    out.flush();
  }

  /** Each problem as three lines: where and which rule, what to do, the lock. */
  void problems(PrintWriter out, LintReport report) {
    for (Problem p : report.problems()) {
      out.println(p.script() + ":" + p.line() + " " + p.rule());
      out.println("  " + p.message());
      out.println("  lock: " + p.lock());
    }
    out.flush();
  }

  /** The problems as JSON rows: script, line, rule, message, lock. */
  static List<Map<String, Object>> rows(LintReport report) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Problem p : report.problems()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("script", p.script());
      row.put("line", p.line());
      row.put("rule", p.rule());
      row.put("message", p.message());
      row.put("lock", p.lock());
      rows.add(row);
    }
    return rows;
  }

  private static String plural(int n) {
    return n == 1 ? "" : "s";
  }
}
