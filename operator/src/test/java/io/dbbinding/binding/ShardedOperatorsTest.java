package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.awaitEvent;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.events;
import static io.dbbinding.binding.OperatorFixture.get;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.readiness.ReadinessGate;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scale-out with Kubernetes: two operators, as two releases of the chart run them, each with its
 * own BINDING_LABEL_SELECTOR and its own Lease, share the bindings of one namespace. Each
 * reconciles, and gates the pods of, only the bindings its selector matches; a binding relabelled
 * from one selector to the other is taken over, and its pods stay gated on it.
 */
@Tag("integration")
class ShardedOperatorsTest {
  private static final String SHARD = "dbbinding.io/shard";

  /** Release A takes every binding that B does not: together they cover all of them. */
  private static final String SELECTOR_A = SHARD + "!=b";

  private static final String SELECTOR_B = SHARD + "=b";
  private static final Duration HOLD = Duration.ofSeconds(3);

  @Test
  void eachOperatorReconcilesOnlyItsBindingsAndARelabelledOneIsTakenOver() throws Exception {
    String ns = TestKubernetes.newNamespace();
    try (KubernetesClient ca = TestKubernetes.client();
        KubernetesClient cb = TestKubernetes.client();
        KubernetesClient client = TestKubernetes.client()) {
      OperatorRuntime a = shard(ca, ns, "operator-a", SELECTOR_A);
      OperatorRuntime b = null;
      try {
        bindingOfShard(client, ns, "left", "a");
        bindingOfShard(client, ns, "right", "b");
        gatedPod(client, ns, "left-pod", "left");
        gatedPod(client, ns, "right-pod", "right");
        gatedPod(client, ns, "orphan-pod", "nowhere");

        // A alone: its binding and pod only; B's binding and pod stay untouched, not "not found".
        awaitCondition(client, ns, "left", "Ready", "True", "Ready");
        awaitGate(client, ns, "left-pod", "True", "Ready");
        awaitGate(client, ns, "orphan-pod", "False", ReadinessGate.BINDING_NOT_FOUND);
        holdFor(
            "B's binding without a status while only A runs", () -> status(client, ns, "right"));
        holdFor(
            "B's pod without a gate condition while only A runs",
            () -> gate(client, ns, "right-pod").map(Object::toString).orElse(""));
        assertThat(scrape(a)).contains(series(ns, "left")).doesNotContain(series(ns, "right"));

        b = shard(cb, ns, "operator-b", SELECTOR_B);
        awaitCondition(client, ns, "right", "Ready", "True", "Ready");
        awaitGate(client, ns, "right-pod", "True", "Ready");
        assertThat(reporters(client, ns, "left")).containsOnly("operator-a");
        assertThat(reporters(client, ns, "right")).containsOnly("operator-b");
        assertThat(scrape(b)).contains(series(ns, "right")).doesNotContain(series(ns, "left"));

        // Moved: relabelled to B's selector. A's informer drops it, B's takes it.
        int fromA = events(client, ns, "left").size();
        client
            .resources(DatabaseBinding.class)
            .inNamespace(ns)
            .withName("left")
            .edit(x -> relabelled(x, "b"));
        OperatorRuntime taker = b;
        Eventually.until(
            "left in B's cache and out of A's",
            OperatorFixture.WAIT,
            () ->
                scrape(taker).contains(series(ns, "left"))
                    && !scrape(a).contains(series(ns, "left")));
        // A change after the move is B's work: a new migration, applied and reported by B.
        configMap(
            client,
            ns,
            "left-m",
            Map.of(
                "V1__a.sql", "CREATE TABLE a (id int);", "V2__b.sql", "CREATE TABLE b (id int);"));
        Eventually.until(
            "left at schema 2",
            OperatorFixture.WAIT,
            () -> "2".equals(get(client, ns, "left").getStatus().getSchemaVersion()));
        List<Event> left = events(client, ns, "left");
        assertThat(left.stream().filter(e -> "operator-a".equals(e.getReportingInstance())))
            .as("Events A reported on left: none after the move")
            .hasSize(fromA);
        assertThat(left)
            .anySatisfy(
                e -> {
                  assertThat(e.getReason()).isEqualTo(Reasons.MIGRATIONS_APPLIED);
                  assertThat(e.getMessage()).contains("2");
                  assertThat(e.getReportingInstance()).isEqualTo("operator-b");
                });
        // Leaving A's cache is no deletion: the pod is not released (BindingDeleted, for good) but
        // stays gated, now by B, on the binding's schema.
        Eventually.until(
            "left-pod's gate True (Ready) at version 2",
            OperatorFixture.WAIT,
            () ->
                gate(client, ns, "left-pod")
                    .filter(c -> "True".equals(c.getStatus()) && "Ready".equals(c.getReason()))
                    .filter(c -> c.getMessage().contains("version 2"))
                    .isPresent());
      } finally {
        if (b != null) {
          b.close();
        }
        a.close();
      }
    }
  }

  /** One release's operator: its namespace, its selector, and a Lease of its own there. */
  private static OperatorRuntime shard(
      KubernetesClient client, String ns, String identity, String selector) {
    return OperatorRuntime.start(
        OperatorFixture.options(
                client,
                new OperatorSettings(
                    Set.of(ns),
                    true,
                    identity + "-lease",
                    ns,
                    identity,
                    Duration.ofSeconds(5),
                    "",
                    OperatorSettings.DEFAULT_SERVER_CONCURRENCY,
                    selector))
            .withExitOnLostLease(false));
  }

  /** A binding with a database and a first migration of its own, labelled for {@code shard}. */
  private static void bindingOfShard(
      KubernetesClient client, String ns, String name, String shard) {
    secret(client, ns, name + "-db", TestDatabases.newDatabase());
    configMap(client, ns, name + "-m", Map.of("V1__a.sql", "CREATE TABLE a (id int);"));
    DatabaseBinding b = binding(ns, name, name + "-db", name + "-m");
    b.getMetadata().setLabels(Map.of(SHARD, shard));
    create(client, b);
  }

  private static DatabaseBinding relabelled(DatabaseBinding b, String shard) {
    b.getMetadata().getLabels().put(SHARD, shard);
    return b;
  }

  private static void gatedPod(KubernetesClient client, String ns, String name, String binding) {
    client
        .pods()
        .inNamespace(ns)
        .resource(OperatorFixture.pod(ns, name, binding, true).build())
        .create();
  }

  private static Optional<PodCondition> gate(KubernetesClient client, String ns, String pod) {
    return ReadinessGate.current(client.pods().inNamespace(ns).withName(pod).get());
  }

  private static void awaitGate(
      KubernetesClient client, String ns, String pod, String status, String reason) {
    Eventually.until(
        pod + " " + ReadinessGate.CONDITION_TYPE + "=" + status + " (" + reason + ")",
        OperatorFixture.WAIT,
        () ->
            gate(client, ns, pod)
                .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
                .isPresent());
  }

  /**
   * That {@code shown} stays empty for a few seconds: what an operator must not write, it does not.
   */
  private static void holdFor(String what, Supplier<String> shown) throws InterruptedException {
    long end = System.nanoTime() + HOLD.toNanos();
    while (System.nanoTime() < end) {
      assertThat(shown.get()).as(what).isEmpty();
      Thread.sleep(200);
    }
  }

  /** The binding's conditions, empty while no operator has written its status. */
  private static String status(KubernetesClient client, String ns, String name) {
    DatabaseBindingStatus s = get(client, ns, name).getStatus();
    return s == null || s.getConditions() == null || s.getConditions().isEmpty()
        ? ""
        : s.getConditions().toString();
  }

  /** The replicas that reported Events on the binding {@code name}. */
  private static List<String> reporters(KubernetesClient client, String ns, String name) {
    awaitEvent(client, ns, name, Reasons.READY);
    return events(client, ns, name).stream().map(Event::getReportingInstance).toList();
  }

  /** The per-binding series of the binding in an operator's {@code /metrics}: in its cache. */
  private static String series(String ns, String name) {
    return "dbbinding_binding_ready{name=\"" + name + "\",namespace=\"" + ns + "\"}";
  }

  private static String scrape(OperatorRuntime operator) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + operator.port() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
