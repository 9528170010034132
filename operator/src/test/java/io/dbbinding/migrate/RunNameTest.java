package io.dbbinding.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The application_name a run gives its sessions, and reading its owner back. */
class RunNameTest {
  @Test
  void namesTheOwnerFirstThenTheBinding() {
    RunName run =
        new RunName("dbbinding-system", "dbbinding-7f9c-x2", "").forBinding("shop", "orders");
    assertThat(run.applicationName())
        .isEqualTo("dbbinding:dbbinding-system/dbbinding-7f9c-x2|shop/orders");
    assertThat(RunName.owner(run.applicationName())).contains(run);
  }

  @Test
  void theCliHasNoBindingButItsOwnerIsWhole() {
    String name = new RunName("shop", "orders-6d5f-abcde", "").applicationName();
    assertThat(name).isEqualTo("dbbinding:shop/orders-6d5f-abcde|");
    assertThat(RunName.owner(name)).contains(new RunName("shop", "orders-6d5f-abcde", ""));
  }

  @Test
  void aLongBindingIsCutButTheOwnerIsKept() {
    RunName run =
        new RunName("dbbinding-system", "dbbinding-7f9c-x2", "")
            .forBinding("a-long-namespace-name", "a-binding-with-a-very-long-name");
    String name = run.applicationName();
    assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(RunName.MAX_BYTES);
    assertThat(RunName.owner(name))
        .get()
        .satisfies(
            o -> {
              assertThat(o.namespace()).isEqualTo("dbbinding-system");
              assertThat(o.pod()).isEqualTo("dbbinding-7f9c-x2");
            });
    assertThat(run.identifiable()).isTrue();
  }

  @Test
  void anOwnerTooLongToKeepIsDbbindingsButNeverIdentified() {
    RunName run =
        new RunName("a-namespace-of-forty-characters-exactly", "a-pod-name-of-thirty-chars-xx", "");
    String name = run.applicationName();
    assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(RunName.MAX_BYTES);
    assertThat(RunName.isDbbinding(name)).isTrue();
    assertThat(RunName.owner(name)).isEmpty();
    assertThat(run.identifiable()).isFalse();
  }

  @Test
  void withoutANamespaceTheOwnerCannotBeLookedUp() {
    String name = new RunName("", "laptop", "").forBinding("shop", "orders").applicationName();
    assertThat(name).isEqualTo("dbbinding:laptop");
    assertThat(RunName.isDbbinding(name)).isTrue();
    assertThat(RunName.owner(name)).isEmpty();
  }

  @Test
  void otherSessionsAreNoRuns() {
    assertThat(RunName.owner("psql")).isEmpty();
    assertThat(RunName.owner(null)).isEmpty();
    assertThat(RunName.owner(RunName.SIDECAR)).isEmpty();
    assertThat(RunName.isDbbinding(RunName.SIDECAR)).isTrue();
    assertThat(RunName.owner("dbbinding")).isEmpty();
    assertThat(RunName.owner("dbbinding:/pod|")).isEmpty();
    assertThat(RunName.owner("dbbinding:ns/|")).isEmpty();
    assertThat(RunName.owner("dbbinding:ns/a/b|")).isEmpty();
  }

  @Test
  void cutsAtACharacterBoundaryAsPostgresDoes() {
    String name = new RunName("", "é".repeat(40), "").applicationName();
    assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RunName.MAX_BYTES);
    assertThat(name).endsWith("é");
  }
}
