package io.dbbinding.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.migrate.MigrationFile;
import io.dbbinding.migrate.MigrationSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The linter over a corpus of migrations written for it (src/test/resources/lint-corpus): every
 * rule caught, every exemption and waiver honoured, tricky syntax parsed. The findings must be
 * exactly those in expected-findings.txt beside the corpus, one {@code file:line rule} a line.
 */
class LintCorpusTest {
  private static final Path CORPUS = Path.of("src", "test", "resources", "lint-corpus");

  private final List<MigrationFile> files = MigrationSource.folders(List.of(CORPUS)).load();
  private final LintReport report = new MigrationLinter().lint(files);

  @Test
  void findsExactlyTheExpectedProblems() throws Exception {
    List<String> expected =
        Files.readAllLines(CORPUS.resolve("expected-findings.txt")).stream()
            .filter(l -> !l.isBlank())
            .sorted()
            .toList();
    List<String> found =
        report.problems().stream()
            .map(p -> p.script() + ":" + p.line() + " " + p.rule())
            .sorted()
            .toList();
    assertThat(found).containsExactlyElementsOf(expected);
  }

  @Test
  void theCorpusIsLargeAndCatchesEveryRule() {
    assertThat(files).hasSizeGreaterThanOrEqualTo(60);
    Set<String> caught = report.problems().stream().map(Problem::rule).collect(Collectors.toSet());
    assertThat(caught)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Rule.values()).map(Rule::ruleName).toList());
  }

  @Test
  void everyProblemSaysTheLockAndWhatToWriteInstead() {
    for (Problem p : report.problems()) {
      Rule rule = Rule.named(p.rule()).orElseThrow();
      assertThat(p.lock()).isEqualTo(rule.lock()).isNotBlank();
      assertThat(p.message()).endsWith("instead " + rule.instead());
    }
  }

  @Test
  void theBusyTableIndexNamesTheRuleTheLockAndTheFix() {
    List<Problem> problems =
        new MigrationLinter()
            .lint("V7__orders_customer.sql", "create index on orders(customer_id);\n");
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(1);
              assertThat(p.rule()).isEqualTo("require-concurrent-index-creation");
              assertThat(p.message())
                  .contains("CREATE INDEX on orders without CONCURRENTLY")
                  .contains("write CREATE INDEX CONCURRENTLY");
              assertThat(p.lock()).startsWith("SHARE");
            });
  }

  @Test
  void aStatementNumberedByItsFirstLineAfterCommentsAndBlankLines() {
    List<Problem> problems =
        new MigrationLinter()
            .lint(
                "V1__x.sql",
                "-- header\n\n/* more\n   comment */\nSELECT 1; ALTER TABLE t\n  DROP COLUMN c;\n");
    assertThat(problems).extracting(Problem::line).containsExactly(5);
  }
}
