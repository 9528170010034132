package io.dbbinding.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.migrate.MigrationError;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One naming style for reasons: a failure the CLI reports in its JSON ({@code "reason"}) carries
 * the same CamelCase word as the binding's condition when both name it.
 */
class ReasonNamesTest {

  @Test
  void everyMigrationReasonIsCamelCaseAndMatchesTheConditionReasonOfTheSameName() throws Exception {
    Map<String, String> conditionReasons = new HashMap<>();
    for (Field f : Reasons.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        conditionReasons.put(f.getName(), (String) f.get(null));
      }
    }
    int shared = 0;
    for (MigrationError.Reason r : MigrationError.Reason.values()) {
      assertThat(r.code()).as(r.name()).matches("[A-Z][a-z]+([A-Z][a-z]+)+");
      if (conditionReasons.containsKey(r.name())) {
        assertThat(r.code()).as(r.name()).isEqualTo(conditionReasons.get(r.name()));
        shared++;
      }
    }
    assertThat(shared).as("reasons both name").isGreaterThanOrEqualTo(6);
    assertThat(MigrationError.Reason.MIXED_TRANSACTION.code()).isEqualTo("MixedTransaction");
  }
}
