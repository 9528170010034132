package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure comparison of two schemas, and the one-line message the operator and the CLI share. */
class SchemaDiffTest {
  private static final SchemaSnapshot BASELINE =
      SchemaSnapshot.of(
          "public",
          Map.of(
              "table public.orders", "t1",
              "column public.orders.id", "c1",
              "column public.orders.note", "c2",
              "index public.orders_idx", "i1",
              "constraint public.orders.orders_pkey", "k1"));

  @Test
  void theSameObjectsAreInSyncWithTheSameFingerprint() {
    SchemaSnapshot same = SchemaSnapshot.of("public", Map.copyOf(BASELINE.objects()));
    SchemaDiff diff = SchemaDiff.between(BASELINE, same);
    assertThat(diff.inSync()).isTrue();
    assertThat(diff.describe()).isEmpty();
    assertThat(same.fingerprint()).isEqualTo(BASELINE.fingerprint()).hasSize(32);
  }

  @Test
  void namesWhatWasRemovedChangedAndAddedRemovedFirst() {
    SchemaSnapshot live =
        SchemaSnapshot.of(
            "public",
            Map.of(
                "table public.orders", "t1",
                "column public.orders.id", "c1",
                "index public.orders_idx", "i2",
                "constraint public.orders.orders_pkey", "k1",
                "column public.orders.extra", "c3"));
    SchemaDiff diff = SchemaDiff.between(BASELINE, live);
    assertThat(diff.removed()).containsExactly("column public.orders.note");
    assertThat(diff.changed()).containsExactly("index public.orders_idx");
    assertThat(diff.added()).containsExactly("column public.orders.extra");
    assertThat(diff.describe())
        .isEqualTo(
            "column public.orders.note removed, index public.orders_idx changed,"
                + " column public.orders.extra added");
    assertThat(live.fingerprint()).isNotEqualTo(BASELINE.fingerprint());
  }

  @Test
  void namesTheFirstThreeByNameAndCountsTheRest() {
    SchemaSnapshot live = SchemaSnapshot.of("public", Map.of("table public.other", "x"));
    SchemaDiff diff = SchemaDiff.between(BASELINE, live);
    assertThat(diff.size()).isEqualTo(6);
    assertThat(diff.describe())
        .isEqualTo(
            "column public.orders.id removed, column public.orders.note removed,"
                + " constraint public.orders.orders_pkey removed, and 3 more");
  }
}
