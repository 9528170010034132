package io.dbbinding.binding;

import io.dbbinding.cli.OperatorOptions;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.readiness.ReadinessGate;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.javaoperatorsdk.operator.processing.retry.Retry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds what the operator tests need: resources as a user would write them, an operator running
 * in-process against the shared API server, and waits on what {@code kubectl} would show.
 */
public final class OperatorFixture {
  public static final Duration WAIT = Duration.ofSeconds(60);

  private OperatorFixture() {}

  /**
   * A quick backoff, so that tests see Stalled after a few seconds rather than minutes; as in
   * production, each binding's spec.retryLimit decides when the retries stop.
   */
  public static Retry quickRetry() {
    return new GenericRetry()
        .setInitialInterval(Duration.ofMillis(200))
        .setIntervalMultiplier(1.5)
        .setMaxInterval(1_000)
        .withoutMaxAttempts();
  }

  /**
   * An operator as the tests run it: settings from an empty environment, a free port for its
   * endpoints, and the {@link #quickRetry}; otherwise the production defaults.
   */
  public static OperatorOptions options(KubernetesClient client, OperatorSettings operator) {
    return OperatorOptions.of(client, Settings.load(SettingSource.of(Map.of())), operator)
        .withPort(0)
        .withRetry(quickRetry());
  }

  public static OperatorRuntime startOperator(
      KubernetesClient client, boolean leaderElection, String leaseNamespace, String identity) {
    return OperatorRuntime.start(
        options(
            client,
            new OperatorSettings(
                Set.of(),
                leaderElection,
                "dbbinding-operator",
                leaseNamespace,
                identity,
                Duration.ofSeconds(3))));
  }

  /** An operator of its own that watches only {@code ns}, without leader election. */
  public static OperatorRuntime watching(KubernetesClient client, String ns, String identity) {
    return OperatorRuntime.start(
        options(
            client,
            new OperatorSettings(
                Set.of(ns), false, "dbbinding-operator", "", identity, Duration.ofSeconds(3))));
  }

  /**
   * A replica that watches {@code ns} and elects a leader on the Lease there, as the operator
   * processes of the lease tests do; it never exits the JVM when it loses the Lease.
   */
  public static OperatorRuntime replica(KubernetesClient client, String ns, String identity) {
    return OperatorRuntime.start(
        options(
                client,
                new OperatorSettings(
                    Set.of(ns), true, "dbbinding-operator", ns, identity, Duration.ofSeconds(5)))
            .withExitOnLostLease(false));
  }

  /**
   * A pod of {@code binding} (its label), declaring the {@code dbbinding.io/ready} readiness gate
   * when {@code gate}; a bare API server never schedules it, which the gate does not need.
   */
  public static PodBuilder pod(String ns, String name, String binding, boolean gate) {
    PodBuilder p =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .addToLabels(ReadinessGate.BINDING_LABEL, binding)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("example/app:1")
            .endContainer()
            .endSpec();
    if (gate) {
      p.editSpec().addNewReadinessGate(ReadinessGate.CONDITION_TYPE).endSpec();
    }
    return p;
  }

  public static void secret(KubernetesClient client, String ns, String name, String url) {
    secret(client, ns, name, "Opaque", Map.of("DATABASE_URL", url));
  }

  /** A Secret of {@code type} holding {@code data}. */
  public static void secret(
      KubernetesClient client, String ns, String name, String type, Map<String, String> data) {
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withType(type)
                .withStringData(data)
                .build())
        .serverSideApply();
  }

  public static void secret(KubernetesClient client, String ns, String name, DatabaseUrl url) {
    secret(client, ns, name, PostgresServer.rawUrl(url));
  }

  public static void configMap(
      KubernetesClient client, String ns, String name, Map<String, String> files) {
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withData(files)
                .build())
        .serverSideApply();
  }

  public static DatabaseBinding binding(
      String ns, String name, String secret, String... configMaps) {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(ns);
    DatabaseBindingSpec spec = new DatabaseBindingSpec();
    DatabaseRef db = new DatabaseRef();
    db.setSecretRef(new SecretKeyRef(secret, "DATABASE_URL"));
    spec.setDatabase(db);
    if (configMaps.length > 0) {
      MigrationsSpec m = new MigrationsSpec();
      m.setConfigMapRefs(List.of(configMaps).stream().map(ConfigMapRef::new).toList());
      spec.setMigrations(m);
    }
    spec.setCheckInterval("60s");
    b.setSpec(spec);
    return b;
  }

  public static DatabaseBinding create(KubernetesClient client, DatabaseBinding b) {
    return client
        .resources(DatabaseBinding.class)
        .inNamespace(b.getMetadata().getNamespace())
        .resource(b)
        .create();
  }

  public static DatabaseBinding get(KubernetesClient client, String ns, String name) {
    return client.resources(DatabaseBinding.class).inNamespace(ns).withName(name).get();
  }

  /** Waits until the condition {@code type} has {@code status} and {@code reason}. */
  public static DatabaseBinding awaitCondition(
      KubernetesClient client, String ns, String name, String type, String status, String reason) {
    return Eventually.get(
        name + " " + type + "=" + status + " (" + reason + ")",
        WAIT,
        () -> {
          DatabaseBinding b = get(client, ns, name);
          if (b == null || b.getStatus() == null) {
            return null;
          }
          return Conditions.find(b.getStatus().getConditions(), type)
              .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
              .map(c -> b)
              .orElse(null);
        });
  }

  public static List<Event> events(KubernetesClient client, String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  public static Optional<Event> awaitEvent(
      KubernetesClient client, String ns, String name, String reason) {
    return Optional.of(
        Eventually.get(
            "Event " + reason + " on " + name,
            WAIT,
            () ->
                events(client, ns, name).stream()
                    .filter(e -> reason.equals(e.getReason()))
                    .findFirst()
                    .orElse(null)));
  }

  public static String condition(DatabaseBinding b, String type) {
    return Conditions.find(b.getStatus().getConditions(), type)
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("absent");
  }

  public static String conditionMessage(DatabaseBinding b, String type) {
    return Conditions.find(b.getStatus().getConditions(), type)
        .map(Condition::getMessage)
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  public static KubernetesClient client() {
    return TestKubernetes.client();
  }
}
