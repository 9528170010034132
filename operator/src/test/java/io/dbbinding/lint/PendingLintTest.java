package io.dbbinding.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.migrate.InfoReport;
import io.dbbinding.migrate.MigrationFile;
import io.dbbinding.migrate.MigrationInfoRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lint of what migrate would apply next: the pending files, never what is applied already. */
class PendingLintTest {
  private final MigrationLinter linter = new MigrationLinter();

  private final List<MigrationFile> files =
      List.of(
          new MigrationFile("V1__idx.sql", "CREATE INDEX i ON t (c);"),
          new MigrationFile("sub/V2__t.sql", "create table u (id int);"),
          new MigrationFile("sub/V3__idx.sql", "CREATE INDEX j ON u (id);"),
          new MigrationFile("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;"));

  private static MigrationInfoRow row(String version, String script, String state) {
    return new MigrationInfoRow(version, "d", "SQL", script, 1, state, null, null);
  }

  private final InfoReport info =
      new InfoReport(
          "2",
          2,
          2,
          0,
          null,
          List.of(
              row("1", "V1__idx.sql", "Success"),
              row("2", "sub/V2__t.sql", "Success"),
              row("3", "sub/V3__idx.sql", "Pending"),
              row(null, "R__view.sql", "Outdated")));

  @Test
  void onlyPendingAndOutdatedFilesAreLinted() {
    LintReport report = linter.lintPending(files, info);
    assertThat(report.scripts()).isEqualTo(2);
    assertThat(report.problems()).extracting(Problem::script).containsExactly("V3__idx.sql");
  }

  @Test
  void narrowingTheReportOfEveryFileGivesWhatLintingThePendingOnesGives() {
    LintReport all = linter.lint(files);
    assertThat(all.problems())
        .extracting(Problem::script)
        .containsExactly("V1__idx.sql", "V3__idx.sql");
    assertThat(MigrationLinter.pendingOf(all, files, info))
        .isEqualTo(linter.lintPending(files, info));
  }
}
