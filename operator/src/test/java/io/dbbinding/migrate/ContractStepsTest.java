package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which migrations are contract steps, what each waits on, and what may go before one. */
class ContractStepsTest {
  private static final String CONTRACT = "-- dbbinding:contract\nALTER TABLE t DROP COLUMN a;";

  private static List<MigrationFile> files(String... nameAndSql) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameAndSql.length; i += 2) {
      m.put(nameAndSql[i], nameAndSql[i + 1]);
    }
    return MigrationSource.inMemory("test", m).load();
  }

  @Test
  void theDirectiveCountsOnlyOnTheFirstNonBlankLine() {
    assertThat(new MigrationFile("V3__d.sql", CONTRACT).isContract()).isTrue();
    assertThat(
            new MigrationFile("V3__d.sql", "\uFEFF\n  \n  -- dbbinding:contract  \nDROP x;")
                .isContract())
        .isTrue();
    assertThat(
            new MigrationFile("V3__d.sql", "-- drop a\n-- dbbinding:contract\nDROP x;")
                .isContract())
        .as("a directive below another line is an ordinary comment")
        .isFalse();
    assertThat(new MigrationFile("V3__d.sql", "-- dbbinding:contractual\nDROP x;").isContract())
        .isFalse();
  }

  @Test
  void aRepeatableMigrationMayNotBeAContractStep() {
    assertThatThrownBy(() -> files("R__views.sql", CONTRACT))
        .isInstanceOf(MigrationError.class)
        .hasMessage(
            "R__views.sql declares -- dbbinding:contract, which only a versioned migration"
                + " (V<version>__...) may; remove the line")
        .satisfies(
            e ->
                assertThat(((MigrationError) e).reason())
                    .isEqualTo(MigrationError.Reason.INVALID_MIGRATION_FILE));
  }

  @Test
  void theExpandVersionIsTheHighestNonContractVersionBelow() {
    List<ContractStep> steps =
        ContractSteps.of(
            files(
                "V1__t.sql", "CREATE TABLE t (a int);",
                "V2__b.sql", "ALTER TABLE t ADD b int;",
                "V2_5__drop_a.sql", CONTRACT,
                "V3__drop_more.sql", CONTRACT,
                "V10__c.sql", "ALTER TABLE t ADD c int;",
                "V11__drop_b.sql", CONTRACT,
                "R__v.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;"));
    assertThat(steps)
        .extracting(s -> s.script() + "<-" + s.expandVersion())
        .containsExactly("V2_5__drop_a.sql<-2", "V3__drop_more.sql<-2", "V11__drop_b.sql<-10");
  }

  @Test
  void aFirstContractStepWaitsOnNothing() {
    assertThat(ContractSteps.of(files("V1__drop.sql", CONTRACT)).getFirst().expandVersion())
        .isNull();
  }

  @Test
  void pendingStepsAreAboveTheSchemaAndWithinTheTarget() {
    List<MigrationFile> f =
        files(
            "V1__t.sql",
            "CREATE TABLE t (a int);",
            "V2__drop.sql",
            CONTRACT,
            "V3__b.sql",
            "ALTER TABLE t ADD b int;",
            "V4__drop.sql",
            CONTRACT);
    assertThat(ContractSteps.pending(f, null, "latest")).hasSize(2);
    assertThat(ContractSteps.pending(f, "2", "latest"))
        .extracting(ContractStep::script)
        .containsExactly("V4__drop.sql");
    assertThat(ContractSteps.pending(f, "1", "3"))
        .extracting(ContractStep::script)
        .containsExactly("V2__drop.sql");
    assertThat(ContractSteps.pending(f, "4", "latest")).isEmpty();
  }

  @Test
  void beforeAHeldStepComeTheLowerVersionsAndTheRepeatables() {
    MigrationSource source =
        MigrationSource.inMemory(
            "ConfigMap m",
            Map.of(
                "V1__t.sql", "CREATE TABLE t (a int);",
                "V2__b.sql", "ALTER TABLE t ADD b int;",
                "V3__drop.sql", CONTRACT,
                "V4__c.sql", "ALTER TABLE t ADD c int;",
                "R__v.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;"));
    ContractStep held = ContractSteps.of(source.load()).getFirst();
    MigrationSource before = ContractSteps.before(source, held);
    assertThat(before.describe()).isEqualTo("ConfigMap m");
    assertThat(before.load())
        .extracting(MigrationFile::name)
        .containsExactly("R__v.sql", "V1__t.sql", "V2__b.sql");
  }
}
