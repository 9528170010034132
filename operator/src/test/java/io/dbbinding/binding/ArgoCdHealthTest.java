package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbbinding.binding.ArgoCdHealthScript.Health;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health check, {@code integrations/argocd/health.lua}, run in a Lua engine (LuaJ) as
 * Argo CD runs it (the resource as the global {@code obj}, a table with {@code status} and {@code
 * message} returned) on bindings whose status the operator itself wrote on a real API server.
 */
@Tag("integration")
class ArgoCdHealthTest {
  private static final Path SCRIPT = ArgoCdHealthScript.SCRIPT;

  /**
   * Where each captured binding is written, as Argo CD's own health tests hold their inputs: {@code
   * integrations/argocd/testdata/} is a copy of it (see ArgoCdHealthTestdataTest).
   */
  static final Path CAPTURED = Path.of("target", "argocd-testdata");

  private static KubernetesClient client;
  private static OperatorRuntime operator;
  private static String ns;

  @BeforeAll
  static void startOperator() {
    client = TestKubernetes.client();
    ns = TestKubernetes.newNamespace();
    operator = operatorFor(ns);
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
    client.close();
  }

  private static OperatorRuntime operatorFor(String namespace) {
    return OperatorFixture.watching(client, namespace, "argocd-test");
  }

  @Test
  void aReadyBindingIsHealthy() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "ready-db", db);
    create(client, binding(ns, "ready", "ready-db"));
    DatabaseBinding b = awaitCondition(client, ns, "ready", "Ready", "True", "Ready");

    assertThat(health(b)).isEqualTo(new Health("Healthy", "Database reachable"));
  }

  @Test
  void aBindingRetryingWithBackoffIsProgressing() throws Exception {
    secret(client, ns, "down-db", "postgresql://app:pw@127.0.0.1:1/app");
    DatabaseBinding spec = binding(ns, "down", "down-db");
    spec.getSpec().setRetryLimit(1000);
    create(client, spec);
    DatabaseBinding b = awaitCondition(client, ns, "down", "Reconciling", "True", "Unreachable");

    Health h = health(b);
    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message())
        .startsWith("Retrying with backoff: ")
        .contains("127.0.0.1:1")
        .isEqualTo(OperatorFixture.conditionMessage(b, "Reconciling"));
  }

  @Test
  void aContractStepWaitingForTheRolloutIsProgressingNotDegraded() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "rollout-db", db);
    OperatorFixture.configMap(
        client,
        ns,
        "rollout-m",
        Map.of(
            "V1__people.sql", "CREATE TABLE people (id int, name text);",
            "V2__full_name.sql", "ALTER TABLE people ADD full_name text;",
            "V3__drop_name.sql", "-- dbbinding:contract\nALTER TABLE people DROP name;"));
    client
        .pods()
        .inNamespace(ns)
        .resource(
            OperatorFixture.pod(ns, "shop-old", "rollout", false)
                .editMetadata()
                .addToAnnotations(GatedPods.REQUIRED_VERSION_ANNOTATION, "1")
                .endMetadata()
                .build())
        .create();
    create(client, binding(ns, "rollout", "rollout-db", "rollout-m"));
    DatabaseBinding b =
        awaitCondition(client, ns, "rollout", "Reconciling", "True", "WaitingForRollout");

    Health h = health(b);
    assertThat(h.status()).isEqualTo("Progressing");
    assertThat(h.message())
        .startsWith("Contract step V3__drop_name.sql waits for the rollout")
        .contains("pod shop-old (1 pod at version 1)");
  }

  @Test
  void aSpecNewerThanItsStatusIsProgressingUntilTheOperatorObservesIt() throws Exception {
    // Its own operator, stopped once the binding is Ready, so that the spec change below stays
    // unobserved for as long as the test looks.
    String other = TestKubernetes.newNamespace();
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, other, "db", db);
    OperatorRuntime shortLived = operatorFor(other);
    try {
      create(client, binding(other, "changed", "db"));
      awaitCondition(client, other, "changed", "Ready", "True", "Ready");
    } finally {
      shortLived.close();
    }
    DatabaseBinding b =
        client
            .resources(DatabaseBinding.class)
            .inNamespace(other)
            .withName("changed")
            .edit(
                x -> {
                  x.getSpec().setCheckInterval("30s");
                  return x;
                });
    assertThat(b.getMetadata().getGeneration()).isEqualTo(2L);
    assertThat(b.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(OperatorFixture.condition(b, "Ready")).isEqualTo("True/Ready");

    assertThat(health(b))
        .isEqualTo(new Health("Progressing", "Waiting for the operator to observe generation 2"));
  }

  @Test
  void aBindingWithNoStatusYetIsProgressing() throws Exception {
    String unwatched = TestKubernetes.newNamespace();
    DatabaseBinding b = create(client, binding(unwatched, "new", "db"));

    assertThat(health(b))
        .isEqualTo(new Health("Progressing", "Waiting for the operator to report on the binding"));
  }

  @Test
  void aStalledBindingIsDegradedWithTheConditionsMessage() throws Exception {
    secret(client, ns, "bad-db", "mysql://app:Leaky-Pa55word@db:3306/app");
    create(client, binding(ns, "bad", "bad-db"));
    DatabaseBinding b = awaitCondition(client, ns, "bad", "Stalled", "True", "InvalidDatabaseURL");

    Health h = health(b);
    assertThat(h.status()).isEqualTo("Degraded");
    assertThat(h.message())
        .isEqualTo(OperatorFixture.conditionMessage(b, "Stalled"))
        .startsWith("Needs a change by a person: ")
        .contains("postgresql://")
        .doesNotContain("Leaky-Pa55word");
  }

  @Test
  void aBindingOutOfRetriesIsDegradedWithTheStalledMessage() throws Exception {
    secret(client, ns, "gone-db", "postgresql://app:pw@127.0.0.1:1/app");
    DatabaseBinding spec = binding(ns, "gone", "gone-db");
    spec.getSpec().setRetryLimit(0);
    create(client, spec);
    DatabaseBinding b = awaitCondition(client, ns, "gone", "Stalled", "True", "RetryLimitReached");

    Health h = health(b);
    assertThat(h.status()).isEqualTo("Degraded");
    assertThat(h.message())
        .isEqualTo(OperatorFixture.conditionMessage(b, "Stalled"))
        .startsWith("Gave up after 0 retries (spec.retryLimit): ");
  }

  @Test
  void aSuspendedBindingIsSuspended() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "paused-db", db);
    OperatorFixture.configMap(client, ns, "paused-m", BindingOperatorTest.exampleMigrations());
    DatabaseBinding spec = binding(ns, "paused", "paused-db", "paused-m");
    spec.getSpec().setSuspend(true);
    create(client, spec);
    DatabaseBinding b =
        awaitCondition(client, ns, "paused", "MigrationsApplied", "False", "Pending");

    assertThat(health(b))
        .isEqualTo(
            new Health(
                "Suspended", "Suspended (spec.suspend): migrations are reported, not applied"));
  }

  /** A binding of one orders table whose column {@code note} is dropped by hand once Ready. */
  private static DatabaseBinding drifted(String name, String drift) throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, name + "-db", db);
    OperatorFixture.configMap(
        client, ns, name + "-m", Map.of("V1__orders.sql", "CREATE TABLE orders (note text);"));
    DatabaseBinding spec = binding(ns, name, name + "-db", name + "-m");
    spec.getSpec().setCheckInterval("5s");
    spec.getSpec().getMigrations().setDrift(drift);
    create(client, spec);
    awaitCondition(client, ns, name, "Ready", "True", "Ready");
    try (java.sql.Connection c = io.dbbinding.testing.PostgresServer.connect(db);
        java.sql.Statement s = c.createStatement()) {
      s.execute("ALTER TABLE orders DROP COLUMN note");
    }
    return awaitCondition(client, ns, name, "SchemaDrift", "True", "Drifted");
  }

  @Test
  void aDriftedSchemaUnderWarnIsHealthySayingSo() throws Exception {
    DatabaseBinding b = drifted("drift-warn", "warn");

    Health h = health(b);
    assertThat(h.status()).isEqualTo("Healthy");
    assertThat(h.message())
        .isEqualTo(OperatorFixture.conditionMessage(b, "SchemaDrift"))
        .contains("column public.orders.note removed");
  }

  @Test
  void aDriftedSchemaUnderBlockIsDegraded() throws Exception {
    drifted("drift-block", "block");
    DatabaseBinding b = awaitCondition(client, ns, "drift-block", "Ready", "False", "Drifted");

    Health h = health(b);
    assertThat(h.status()).isEqualTo("Degraded");
    assertThat(h.message())
        .isEqualTo(OperatorFixture.conditionMessage(b, "Ready"))
        .contains("column public.orders.note removed");
  }

  @Test
  void theDocsShowTheScriptInTheirArgocdCmSnippet() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "operations.md"));
    String indented =
        Files.readString(SCRIPT)
            .lines()
            .map(l -> l.isEmpty() ? "" : "    " + l)
            .collect(java.util.stream.Collectors.joining("\n"));
    assertThat(docs)
        .contains("  resource.customizations.health.dbbinding.io_DatabaseBinding: |\n" + indented);
  }

  /**
   * Runs the script on the binding exactly as the API server returns it to Argo CD (read again as
   * plain JSON, not through the Java model, which would add an empty status).
   */
  static Health health(DatabaseBinding binding) throws IOException {
    GenericKubernetesResource raw =
        client
            .genericKubernetesResources("dbbinding.io/v1alpha1", "DatabaseBinding")
            .inNamespace(binding.getMetadata().getNamespace())
            .withName(binding.getMetadata().getName())
            .get();
    assertThat(raw.getMetadata().getGeneration())
        .as("the object the test looked at is still the current one")
        .isEqualTo(binding.getMetadata().getGeneration());
    raw.getMetadata().setManagedFields(null);
    Map<String, Object> obj =
        new ObjectMapper().convertValue(raw, new TypeReference<Map<String, Object>>() {});
    Files.createDirectories(CAPTURED);
    Files.writeString(
        CAPTURED.resolve(binding.getMetadata().getName() + ".yaml"),
        new ObjectMapper(new YAMLFactory()).writeValueAsString(obj));
    return ArgoCdHealthScript.run(obj);
  }
}
