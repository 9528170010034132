package io.dbbinding.lint;

import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.MigrationFile;
import io.dbbinding.migrate.MigrationInfoRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code dbbinding lint}: reports, for each statement of each migration, the rules it breaks, with
 * the lock it takes and what to write instead. A statement the parser cannot read is reported as
 * {@code unparsed}, never passed. Each file is linted on its own: Flyway applies each in its own
 * transaction, so "created earlier in the same migration" means in the same file.
 */
public final class MigrationLinter {
  private final ScriptSplitter splitter = new ScriptSplitter();
  private final StatementParser parser = new StatementParser();

  public LintReport lint(List<MigrationFile> files) {
    List<Problem> problems = new ArrayList<>();
    for (MigrationFile file : files) {
      problems.addAll(lint(file.fileName(), file.sql()));
    }
    return new LintReport(files.size(), problems);
  }

  /**
   * Lints only what {@code migrate} would apply next: the files {@code info} calls pending (new
   * versions, and repeatable migrations that changed). What is applied already is history.
   */
  public LintReport lintPending(List<MigrationFile> files, InfoReport info) {
    return lint(pending(files, info));
  }

  /**
   * What {@link #lintPending} reports, taken from {@code all}, the report of every one of {@code
   * files}, without linting again: each file is linted on its own, so its problems are the same.
   */
  public static LintReport pendingOf(LintReport all, List<MigrationFile> files, InfoReport info) {
    List<MigrationFile> pending = pending(files, info);
    // Flyway refuses two files of one version or description, so a file name names one file.
    Set<String> scripts = new HashSet<>();
    pending.forEach(f -> scripts.add(f.fileName()));
    return new LintReport(
        pending.size(), all.problems().stream().filter(p -> scripts.contains(p.script())).toList());
  }

  private static List<MigrationFile> pending(List<MigrationFile> files, InfoReport info) {
    Set<String> pending = new HashSet<>();
    for (MigrationInfoRow row : info.migrations()) {
      if ("Pending".equals(row.state()) || "Outdated".equals(row.state())) {
        pending.add(row.script());
      }
    }
    return files.stream().filter(f -> pending.contains(f.name())).toList();
  }

  /** The problems of one migration, in line order. */
  public List<Problem> lint(String script, String sql) {
    List<SqlStatement> statements = splitter.split(sql);
    List<StatementParser.Parsed> parsed = new ArrayList<>();
    boolean transactional = false;
    for (SqlStatement s : statements) {
      StatementParser.Parsed p = parser.parse(s);
      parsed.add(p);
      if (!p.ok() || p.doBlock() || !FileChecks.nonTransactional(p.statement())) {
        transactional = true;
      }
    }
    FileChecks checks = new FileChecks(transactional && statements.size() > 1);
    // A contract step waits until no pod runs code that reads what it drops: what these rules ask.
    boolean contract = new MigrationFile(script, sql).isContract();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      SqlStatement s = statements.get(i);
      StatementParser.Parsed p = parsed.get(i);
      List<Finding> findings;
      if (!p.ok()) {
        findings = List.of(Message.UNPARSED.with(p.error()));
      } else if (p.doBlock()) {
        findings = List.of(); // a DO body is code, run as it goes: there is no DDL to read
      } else {
        findings = checks.check(p.statement());
      }
      for (Finding f : findings) {
        boolean waivedByContract =
            contract && (f.rule() == Rule.BAN_DROP_COLUMN || f.rule() == Rule.BAN_DROP_TABLE);
        if (!s.waivers().contains(f.rule().ruleName()) && !waivedByContract) {
          problems.add(
              new Problem(script, s.line(), f.rule().ruleName(), f.message(), f.rule().lock()));
        }
      }
    }
    return problems;
  }
}
