package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.awaitEvent;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.condition;
import static io.dbbinding.binding.OperatorFixture.conditionMessage;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Contract steps ({@code -- dbbinding:contract}) against a real kube-apiserver and a real
 * PostgreSQL: held while a pod or a ReplicaSet of the binding declares an older schema, applied
 * once the last of them is gone. The bindings check only every 30 minutes, so a step applied within
 * {@link OperatorFixture#WAIT} was applied by the reconcile the pod's deletion triggered.
 */
@Tag("integration")
class ContractOperatorTest {
  private static KubernetesClient client;
  private static OperatorRuntime operator;
  private String ns;

  @BeforeAll
  static void startOperator() {
    client = TestKubernetes.client();
    operator = OperatorFixture.startOperator(client, false, "", "contract-operator");
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
    client.close();
  }

  @BeforeEach
  void namespace() {
    ns = TestKubernetes.newNamespace();
  }

  /** A column rename in three steps, and one more migration after the contract step. */
  private static Map<String, String> rename() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "V1__people.sql",
        "CREATE TABLE people (id int PRIMARY KEY, name text);"
            + " INSERT INTO people VALUES (1, 'Ada');");
    files.put(
        "V2__full_name.sql",
        "ALTER TABLE people ADD COLUMN full_name text; UPDATE people SET full_name = name;");
    files.put("V3__drop_name.sql", "-- dbbinding:contract\nALTER TABLE people DROP COLUMN name;");
    files.put("V4__email.sql", "ALTER TABLE people ADD COLUMN email text;");
    return files;
  }

  private DatabaseUrl bindingOf(String name, Map<String, String> files) {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    configMap(client, ns, "m", files);
    DatabaseBinding b = binding(ns, name, "db", "m");
    b.getSpec().setCheckInterval("30m");
    create(client, b);
    return db;
  }

  private Pod oldPod(String name, String binding, String version) {
    return client
        .pods()
        .inNamespace(ns)
        .resource(
            OperatorFixture.pod(ns, name, binding, true)
                .editMetadata()
                .addToAnnotations(GatedPods.REQUIRED_VERSION_ANNOTATION, version)
                .addToLabels("pod-template-hash", "5d8f")
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName("shop-5d8f")
                .withUid(UUID.randomUUID().toString())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();
  }

  static String columns(DatabaseUrl db) throws Exception {
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT string_agg(column_name, ',' ORDER BY ordinal_position)"
                    + " FROM information_schema.columns WHERE table_name = 'people'")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private String waitingSeries(String name) {
    return "dbbinding_binding_waiting_for_rollout{name=\"" + name + "\",namespace=\"" + ns + "\"}";
  }

  private static String scrape() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://localhost:" + operator.port() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  @Test
  void aContractStepWaitsForTheLastOldPodThenIsAppliedWithWhatFollows() throws Exception {
    oldPod("shop-5d8f-a1", "people", "1");
    oldPod("shop-5d8f-b2", "people", "1");
    client
        .pods()
        .inNamespace(ns)
        .resource(
            OperatorFixture.pod(ns, "debug", "people", false)
                .editMetadata()
                .addToAnnotations(GatedPods.REQUIRED_VERSION_ANNOTATION, "2")
                .endMetadata()
                .build())
        .create();
    DatabaseUrl db = bindingOf("people", rename());

    DatabaseBinding b =
        awaitCondition(client, ns, "people", "MigrationsApplied", "False", "WaitingForRollout");
    assertThat(conditionMessage(b, "MigrationsApplied"))
        .isEqualTo(
            "Contract step V3__drop_name.sql waits for the rollout: every pod must declare schema"
                + " version 2 or later; still older: Deployment shop (2 pods at version 1); schema"
                + " at version 2");
    assertThat(condition(b, "Ready")).isEqualTo("True/Ready");
    assertThat(condition(b, "Reconciling")).isEqualTo("True/WaitingForRollout");
    assertThat(condition(b, "Stalled")).isEqualTo("False/Idle");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("2");
    assertThat(b.getStatus().getPendingMigrations()).isEqualTo(2);
    assertThat(b.getStatus().getFailures()).isZero();
    assertThat(columns(db)).isEqualTo("id,name,full_name");
    Event waiting = awaitEvent(client, ns, "people", "WaitingForRollout").orElseThrow();
    assertThat(waiting.getType()).isEqualTo("Normal");
    assertThat(waiting.getMessage()).contains("Deployment shop (2 pods at version 1)");
    assertThat(scrape()).contains(waitingSeries("people") + " 1.0");

    client.pods().inNamespace(ns).withName("shop-5d8f-a1").delete();
    client.pods().inNamespace(ns).withName("shop-5d8f-b2").delete();

    DatabaseBinding done =
        awaitCondition(client, ns, "people", "MigrationsApplied", "True", "Applied");
    assertThat(conditionMessage(done, "MigrationsApplied"))
        .isEqualTo(
            "Applied V3__drop_name.sql, V4__email.sql; schema version 4 (contract step"
                + " V3__drop_name.sql: no pod needs an older schema)");
    assertThat(condition(done, "Reconciling")).isEqualTo("False/Idle");
    assertThat(done.getStatus().getSchemaVersion()).isEqualTo("4");
    assertThat(done.getStatus().getPendingMigrations()).isZero();
    assertThat(columns(db)).isEqualTo("id,full_name,email");
    assertThat(scrape()).contains(waitingSeries("people") + " 0.0");
    assertThat(
            OperatorFixture.events(client, ns, "people").stream()
                .filter(e -> "MigrationsApplied".equals(e.getReason()))
                .map(Event::getMessage))
        .anyMatch(m -> m.startsWith("Applied V3__drop_name.sql"));
  }

  @Test
  void aReplicaSetThatStillWantsOldPodsHoldsTheStep() throws Exception {
    client
        .apps()
        .replicaSets()
        .inNamespace(ns)
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("shop-7c9")
                .addToLabels(GatedPods.BINDING_LABEL, "rs")
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .withNewSelector()
                .addToMatchLabels("app", "shop")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "shop")
                .addToLabels(GatedPods.BINDING_LABEL, "rs")
                .addToAnnotations(GatedPods.REQUIRED_VERSION_ANNOTATION, "1")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("example/app:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    DatabaseUrl db = bindingOf("rs", rename());

    DatabaseBinding b =
        awaitCondition(client, ns, "rs", "MigrationsApplied", "False", "WaitingForRollout");
    assertThat(conditionMessage(b, "MigrationsApplied"))
        .contains("still older: ReplicaSet shop-7c9 (3 pods at version 1)");
    assertThat(columns(db)).isEqualTo("id,name,full_name");

    // ReplicaSets are not watched but listed by each reconcile of a waiting binding: here the one
    // that its edit triggers.
    client.apps().replicaSets().inNamespace(ns).withName("shop-7c9").scale(0);
    DatabaseBinding again = OperatorFixture.get(client, ns, "rs");
    again.getSpec().setCheckInterval("5s");
    client.resources(DatabaseBinding.class).inNamespace(ns).resource(again).update();
    DatabaseBinding done = awaitCondition(client, ns, "rs", "MigrationsApplied", "True", "Applied");
    assertThat(done.getStatus().getSchemaVersion()).isEqualTo("4");
    assertThat(columns(db)).isEqualTo("id,full_name,email");
  }

  @Test
  void withoutGatedPodsAContractStepIsAppliedAtOnce() throws Exception {
    DatabaseUrl db = bindingOf("free", rename());
    DatabaseBinding b = awaitCondition(client, ns, "free", "Ready", "True", "Ready");
    assertThat(condition(b, "MigrationsApplied")).isEqualTo("True/Applied");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("4");
    assertThat(columns(db)).isEqualTo("id,full_name,email");
    assertThat(OperatorFixture.events(client, ns, "free"))
        .noneMatch(e -> "WaitingForRollout".equals(e.getReason()));
  }

  @Test
  void podsOfOtherBindingsAndNewerPodsHoldNothing() throws Exception {
    oldPod("other-1", "someone-else", "1");
    client
        .pods()
        .inNamespace(ns)
        .resource(
            OperatorFixture.pod(ns, "new-1", "new", true)
                .editMetadata()
                .addToAnnotations(GatedPods.REQUIRED_VERSION_ANNOTATION, "2")
                .endMetadata()
                .build())
        .create();
    DatabaseUrl db = bindingOf("new", rename());
    DatabaseBinding b = awaitCondition(client, ns, "new", "MigrationsApplied", "True", "Applied");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("4");
    assertThat(columns(db)).isEqualTo("id,full_name,email");
  }
}
