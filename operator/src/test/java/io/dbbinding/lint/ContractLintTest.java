package io.dbbinding.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A contract step may drop what the rollout left unused: the drop rules ask for just that. */
class ContractLintTest {
  private final MigrationLinter linter = new MigrationLinter();

  @Test
  void aContractStepMayDropAColumnOrATable() {
    assertThat(
            linter.lint(
                "V3__drop.sql",
                "-- dbbinding:contract\nALTER TABLE people DROP COLUMN name;\nDROP TABLE old;"))
        .isEmpty();
  }

  @Test
  void anOrdinaryMigrationMayNot() {
    assertThat(linter.lint("V3__drop.sql", "ALTER TABLE people DROP COLUMN name;"))
        .extracting(Problem::rule)
        .containsExactly("ban-drop-column");
  }

  @Test
  void theDirectiveWaivesNoOtherRule() {
    assertThat(
            linter.lint(
                "V3__drop.sql",
                "-- dbbinding:contract\nALTER TABLE people RENAME COLUMN name TO full_name;"))
        .extracting(Problem::rule)
        .containsExactly("renaming-column");
  }
}
