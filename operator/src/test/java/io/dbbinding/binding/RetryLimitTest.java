package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.condition;
import static io.dbbinding.binding.OperatorFixture.conditionMessage;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.events;
import static io.dbbinding.binding.OperatorFixture.get;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FaultProxy;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * spec.retryLimit on a real API server and a real PostgreSQL behind a {@link FaultProxy}: transient
 * failures are retried that many times, then the binding is Stalled with RetryLimitReached and one
 * Warning Event; later checks still run at checkInterval; status.failures counts and resets.
 */
@Tag("integration")
class RetryLimitTest {
  private KubernetesClient client;
  private OperatorRuntime operator;
  private String ns;

  @BeforeEach
  void startOperator() {
    client = TestKubernetes.client();
    ns = TestKubernetes.newNamespace();
    operator = OperatorFixture.watching(client, ns, "retry-test");
  }

  @AfterEach
  void stopOperator() {
    operator.close();
    client.close();
  }

  @Test
  void afterRetryLimitRetriesTheBindingStallsWithOneEventAndTheCountResetsWhenTheDatabaseIsBack()
      throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    try (FaultProxy proxy = new FaultProxy(db.primaryHost())) {
      secret(client, ns, "db", proxy.route(db));
      DatabaseBinding b = binding(ns, "orders", "db");
      b.getSpec().setRetryLimit(2);
      b.getSpec().setCheckInterval("5s");
      create(client, b);
      DatabaseBinding ready = awaitCondition(client, ns, "orders", "Ready", "True", "Ready");
      assertThat(ready.getStatus().getFailures()).isZero();

      long t0 = System.nanoTime();
      proxy.cutAndRefuse();
      DatabaseBinding stalled =
          awaitCondition(client, ns, "orders", "Stalled", "True", "RetryLimitReached");
      System.out.printf("retry-limit: stalled %d ms after the cut%n", ms(t0));
      assertThat(stalled.getStatus().getFailures())
          .as("the first attempt and 2 retries failed (or also a later check)")
          .isGreaterThanOrEqualTo(3);
      assertThat(condition(stalled, "Ready")).isEqualTo("False/Unreachable");
      assertThat(condition(stalled, "Reconciling")).isEqualTo("False/Idle");
      assertThat(conditionMessage(stalled, "Stalled"))
          .startsWith("Gave up after 2 retries (spec.retryLimit): ")
          .contains("127.0.0.1:" + proxy.port());

      // Later checks run at checkInterval (5 s): the count goes on, the Event is not repeated.
      int atStall = stalled.getStatus().getFailures();
      long stalledAt = System.nanoTime();
      DatabaseBinding later =
          Eventually.get(
              "a later check at checkInterval",
              OperatorFixture.WAIT,
              () -> {
                DatabaseBinding x = get(client, ns, "orders");
                return x.getStatus().getFailures() >= atStall + 2 ? x : null;
              });
      System.out.printf("retry-limit: two later checks %d ms after the cut%n", ms(t0));
      assertThat(ms(stalledAt))
          .as("two more checks take at least one checkInterval (5 s), not the backoff's 1 s")
          .isGreaterThanOrEqualTo(4_500);
      assertThat(condition(later, "Stalled")).isEqualTo("True/RetryLimitReached");
      List<Event> gaveUp = retryLimitEvents("orders");
      assertThat(gaveUp).hasSize(1);
      assertThat(gaveUp.getFirst().getType()).isEqualTo("Warning");
      assertThat(gaveUp.getFirst().getMessage())
          .startsWith("Gave up after 2 retries (spec.retryLimit): ");

      proxy.pass();
      DatabaseBinding back = awaitCondition(client, ns, "orders", "Ready", "True", "Ready");
      System.out.printf("retry-limit: Ready again %d ms after the cut%n", ms(t0));
      assertThat(back.getStatus().getFailures()).isZero();
      assertThat(condition(back, "Stalled")).isEqualTo("False/Idle");
      assertThat(retryLimitEvents("orders")).hasSize(1);
    }
  }

  @Test
  void whileRetriesRemainTheBindingIsReconcilingAndCountsItsFailures() {
    secret(client, ns, "down", "postgresql://app:pw@127.0.0.1:1/app");
    DatabaseBinding b = binding(ns, "down", "down");
    b.getSpec().setRetryLimit(1000);
    create(client, b);

    DatabaseBinding retrying =
        Eventually.get(
            "several failed attempts",
            OperatorFixture.WAIT,
            () -> {
              DatabaseBinding x = get(client, ns, "down");
              return x.getStatus() != null
                      && x.getStatus().getFailures() != null
                      && x.getStatus().getFailures() >= 3
                  ? x
                  : null;
            });
    assertThat(condition(retrying, "Reconciling")).isEqualTo("True/Unreachable");
    assertThat(condition(retrying, "Stalled")).isEqualTo("False/Idle");
    assertThat(retryLimitEvents("down")).isEmpty();
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private List<Event> retryLimitEvents(String name) {
    return events(client, ns, name).stream()
        .filter(e -> "RetryLimitReached".equals(e.getReason()))
        .toList();
  }
}
