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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.FaultProxy;
import io.dbbinding.testing.Kubectl;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The operator against a real kube-apiserver and a real PostgreSQL: what {@code kubectl get dbb},
 * {@code kubectl describe} and the database show after each scenario.
 */
@Tag("integration")
class BindingOperatorTest {
  private static KubernetesClient client;
  private static OperatorRuntime operator;
  private String ns;

  @BeforeAll
  static void startOperator() {
    client = TestKubernetes.client();
    operator = OperatorFixture.startOperator(client, false, "", "test-operator");
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

  static Map<String, String> exampleMigrations() throws IOException {
    Path dir = Path.of("..", "examples", "migrations");
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.sorted().toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return files;
  }

  static List<String> tables(DatabaseUrl url) throws SQLException {
    try (Connection c = PostgresServer.connect(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " ORDER BY table_name")) {
      List<String> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  @Test
  void bindingWithSecretAndMigrationsBecomesReadyAndTheTablesExist() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "orders-db", db);
    configMap(client, ns, "orders-migrations", exampleMigrations());
    create(client, binding(ns, "orders", "orders-db", "orders-migrations"));

    DatabaseBinding b = awaitCondition(client, ns, "orders", "Ready", "True", "Ready");

    DatabaseBindingStatus s = b.getStatus();
    assertThat(s.getSchemaVersion()).isEqualTo("3");
    assertThat(s.getAppliedMigrations()).isEqualTo(4);
    assertThat(s.getPendingMigrations()).isZero();
    assertThat(s.getProvider()).isEqualTo("postgresql");
    assertThat(s.getLastMigrationTime()).isNotBlank();
    assertThat(s.getObservedGeneration()).isEqualTo(b.getMetadata().getGeneration());
    assertThat(condition(b, "DatabaseReachable")).isEqualTo("True/Connected");
    assertThat(condition(b, "MigrationsApplied")).isEqualTo("True/Applied");
    assertThat(condition(b, "Reconciling")).isEqualTo("False/Idle");
    assertThat(condition(b, "Stalled")).isEqualTo("False/Idle");
    assertThat(tables(db)).contains("customers", "orders", "flyway_schema_history");
    Event applied = awaitEvent(client, ns, "orders", "MigrationsApplied").orElseThrow();
    assertThat(applied.getType()).isEqualTo("Normal");
    assertThat(applied.getMessage()).contains("V1__create_customers.sql").contains("version 3");
    assertThat(awaitEvent(client, ns, "orders", "Ready")).isPresent();
  }

  @Test
  void kubectlShowsWhatTheReadmeShows(@TempDir Path dir) throws Exception {
    Path kubectl = TestKubernetes.kubectlBinary();
    assumeTrue(Files.isExecutable(kubectl), "kubectl from .ci/kube-binaries.sh");
    Path kubeconfig = TestKubernetes.kubeconfigFile(dir);
    secret(client, ns, "orders-db", TestDatabases.newDatabase());
    configMap(client, ns, "orders-migrations", exampleMigrations());
    create(client, binding(ns, "orders", "orders-db", "orders-migrations"));

    Kubectl.Result wait =
        Kubectl.run(
            kubectl,
            kubeconfig,
            "-n",
            ns,
            "wait",
            "--for=condition=Ready",
            "dbb/orders",
            "--timeout=60s");
    assertThat(wait.exitCode()).as(wait.output()).isZero();
    assertThat(wait.output()).contains("databasebinding.dbbinding.io/orders condition met");

    Kubectl.Result get = Kubectl.run(kubectl, kubeconfig, "-n", ns, "get", "dbb");
    List<String> lines = get.output().lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly("NAME", "READY", "SCHEMA", "PENDING", "PROVIDER", "AGE");
    assertThat(lines.get(1).split("\\s+")).startsWith("orders", "True", "3", "0", "postgresql");

    Kubectl.Result describe =
        Kubectl.run(kubectl, kubeconfig, "-n", ns, "describe", "dbb", "orders");
    assertThat(describe.output())
        .containsPattern("Normal +MigrationsApplied .*V1__create_customers.sql")
        .containsPattern("Normal +Ready ");
  }

  @Test
  void kubectlWaitForReadyTimesOutOnAStalledBinding(@TempDir Path dir) throws Exception {
    Path kubectl = TestKubernetes.kubectlBinary();
    assumeTrue(Files.isExecutable(kubectl), "kubectl from .ci/kube-binaries.sh");
    Path kubeconfig = TestKubernetes.kubeconfigFile(dir);
    secret(client, ns, "stuck-db", "mysql://app:pw@db:3306/app");
    create(client, binding(ns, "stuck", "stuck-db"));
    awaitCondition(client, ns, "stuck", "Stalled", "True", "InvalidDatabaseURL");

    Kubectl.Result ready =
        Kubectl.run(
            kubectl,
            kubeconfig,
            "-n",
            ns,
            "wait",
            "--for=condition=Ready",
            "dbb/stuck",
            "--timeout=3s");
    assertThat(ready.exitCode()).as(ready.output()).isNotZero();
    assertThat(ready.output())
        .contains("timed out waiting for the condition on databasebindings/stuck");

    // What a rollout script waits on instead, to fail at once rather than at its timeout.
    Kubectl.Result stalled =
        Kubectl.run(
            kubectl,
            kubeconfig,
            "-n",
            ns,
            "wait",
            "--for=condition=Stalled",
            "dbb/stuck",
            "--timeout=30s");
    assertThat(stalled.exitCode()).as(stalled.output()).isZero();
  }

  @Test
  void missingSecretIsReportedAndCreatingItMakesTheBindingReady() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    configMap(client, ns, "m", exampleMigrations());
    create(client, binding(ns, "late", "late-db", "m"));

    DatabaseBinding b =
        awaitCondition(client, ns, "late", "DatabaseReachable", "False", "SecretNotFound");
    assertThat(condition(b, "Ready")).isEqualTo("False/SecretNotFound");
    assertThat(conditionMessage(b, "Ready")).contains("late-db").contains(ns);

    secret(client, ns, "late-db", db);
    b = awaitCondition(client, ns, "late", "Ready", "True", "Ready");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("3");
  }

  @Test
  void helmReleaseSecretsAreLeftOutOfTheOperatorsCache() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(
        client,
        ns,
        "sh.helm.release.v1.orders.v1",
        "helm.sh/release.v1",
        Map.of("DATABASE_URL", PostgresServer.rawUrl(db)));
    create(client, binding(ns, "helm", "sh.helm.release.v1.orders.v1"));
    awaitCondition(client, ns, "helm", "DatabaseReachable", "False", "SecretNotFound");

    // The same data in an ordinary Secret is read.
    secret(client, ns, "orders-db", db);
    create(client, binding(ns, "plain", "orders-db"));
    awaitCondition(client, ns, "plain", "Ready", "True", "Ready");
  }

  @Test
  void aSecretWithoutTheKeyIsReported() {
    secret(client, ns, "nokey", "Opaque", Map.of("OTHER", "x"));
    create(client, binding(ns, "nokey", "nokey"));
    DatabaseBinding b =
        awaitCondition(client, ns, "nokey", "DatabaseReachable", "False", "SecretKeyMissing");
    assertThat(condition(b, "Stalled")).isEqualTo("False/Idle");
  }

  @Test
  void aMalformedUrlStallsWithoutLeakingThePassword() throws InterruptedException {
    secret(client, ns, "bad", "mysql://app:Leaky-Pa55word@db:3306/app");
    create(client, binding(ns, "bad", "bad"));

    DatabaseBinding b = awaitCondition(client, ns, "bad", "Stalled", "True", "InvalidDatabaseURL");
    assertThat(condition(b, "DatabaseReachable")).isEqualTo("False/InvalidDatabaseURL");
    assertThat(condition(b, "Ready")).isEqualTo("False/InvalidDatabaseURL");
    assertThat(
            b.getStatus().toString()
                + client
                    .resources(DatabaseBinding.class)
                    .inNamespace(ns)
                    .withName("bad")
                    .get()
                    .getStatus()
                    .getConditions())
        .doesNotContain("Leaky-Pa55word");
    Event warning = awaitEvent(client, ns, "bad", "InvalidDatabaseURL").orElseThrow();
    assertThat(warning.getType()).isEqualTo("Warning");
    assertThat(warning.getMessage()).contains("postgresql://").doesNotContain("Leaky-Pa55word");

    // A permanent failure waits for a change (or the next checkInterval), not a hot loop.
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(BindingReconciler.class);
    ListAppender<ILoggingEvent> reconciles = new ListAppender<>();
    reconciles.start();
    log.addAppender(reconciles);
    try {
      Thread.sleep(3_000);
    } finally {
      log.detachAppender(reconciles);
    }
    assertThat(reconciles.list)
        .filteredOn(e -> String.valueOf(e.getKeyValuePairs()).contains(ns + "/bad"))
        .as("reconciles of the stalled binding in 3 s")
        .isEmpty();
  }

  @Test
  void anUnreachableDatabaseIsRetriedThenStalled() {
    secret(client, ns, "down", "postgresql://app:pw@127.0.0.1:1/app");
    create(client, binding(ns, "down", "down"));

    DatabaseBinding b =
        awaitCondition(client, ns, "down", "DatabaseReachable", "False", "Unreachable");
    assertThat(b.getStatus().getConditions()).isNotEmpty();
    b = awaitCondition(client, ns, "down", "Stalled", "True", "RetryLimitReached");
    assertThat(condition(b, "Reconciling")).isEqualTo("False/Idle");
    assertThat(condition(b, "Ready")).isEqualTo("False/Unreachable");
  }

  @Test
  void aNewMigrationInTheConfigMapIsApplied() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    Map<String, String> files = exampleMigrations();
    configMap(client, ns, "m", files);
    create(client, binding(ns, "grow", "db", "m"));
    awaitCondition(client, ns, "grow", "Ready", "True", "Ready");

    Map<String, String> more = new LinkedHashMap<>(files);
    more.put("V4__add_customer_phone.sql", "ALTER TABLE customers ADD COLUMN phone text;");
    configMap(client, ns, "m", more);

    DatabaseBinding b =
        io.dbbinding.testing.Eventually.get(
            "schema version 4",
            OperatorFixture.WAIT,
            () -> {
              DatabaseBinding x = OperatorFixture.get(client, ns, "grow");
              return "4".equals(x.getStatus().getSchemaVersion()) ? x : null;
            });
    assertThat(b.getStatus().getAppliedMigrations()).isEqualTo(5);
    assertThat(condition(b, "Ready")).isEqualTo("True/Ready");
  }

  @Test
  void driftInTheHistoryTableIsFoundAtTheNextCheck() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    configMap(client, ns, "m", exampleMigrations());
    DatabaseBinding b = binding(ns, "drift", "db", "m");
    b.getSpec().setCheckInterval("5s");
    create(client, b);
    awaitCondition(client, ns, "drift", "Ready", "True", "Ready");

    // Someone edits the history by hand: the periodic check must notice, not trust its memory.
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement()) {
      s.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '2'");
    }
    DatabaseBinding drifted =
        awaitCondition(client, ns, "drift", "MigrationsApplied", "False", "ChecksumMismatch");
    assertThat(condition(drifted, "Stalled")).isEqualTo("True/ChecksumMismatch");
  }

  @Test
  void anEditedAppliedMigrationIsAChecksumMismatchThatStalls() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    Map<String, String> files = exampleMigrations();
    configMap(client, ns, "m", files);
    create(client, binding(ns, "edit", "db", "m"));
    awaitCondition(client, ns, "edit", "Ready", "True", "Ready");

    Map<String, String> edited = new LinkedHashMap<>(files);
    edited.put(
        "V1__create_customers.sql",
        files.get("V1__create_customers.sql") + "\n-- edited\nSELECT 1;");
    configMap(client, ns, "m", edited);

    DatabaseBinding b =
        awaitCondition(client, ns, "edit", "MigrationsApplied", "False", "ChecksumMismatch");
    assertThat(condition(b, "Stalled")).isEqualTo("True/ChecksumMismatch");
    assertThat(condition(b, "Ready")).isEqualTo("False/ChecksumMismatch");
    assertThat(conditionMessage(b, "MigrationsApplied")).contains("V1__create_customers.sql");
  }

  @Test
  void aFailingMigrationNamesTheFileAndTheErrorAndTheFixedConfigMapMakesItReady() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("V1__ok.sql", "CREATE TABLE ok (id int);");
    files.put(
        "V2__broken.sql", "CREATE TABLE half (id int);\nINSERT INTO missing_table VALUES (1);");
    configMap(client, ns, "m", files);
    create(client, binding(ns, "broken", "db", "m"));

    DatabaseBinding b =
        awaitCondition(client, ns, "broken", "MigrationsApplied", "False", "MigrationFailed");
    assertThat(condition(b, "Ready")).isEqualTo("False/MigrationFailed");
    assertThat(conditionMessage(b, "MigrationsApplied"))
        .contains("V2__broken.sql")
        .contains("42P01")
        .contains("missing_table");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("1");
    Event failed = awaitEvent(client, ns, "broken", "MigrationFailed").orElseThrow();
    assertThat(failed.getType()).isEqualTo("Warning");
    assertThat(failed.getMessage()).contains("V2__broken.sql");
    assertThat(tables(db)).contains("ok").doesNotContain("half");

    files.put("V2__broken.sql", "CREATE TABLE half (id int);");
    configMap(client, ns, "m", files);
    DatabaseBinding fixed = awaitCondition(client, ns, "broken", "Ready", "True", "Ready");
    assertThat(fixed.getStatus().getSchemaVersion()).isEqualTo("2");
    assertThat(tables(db)).contains("ok", "half");
  }

  @Test
  void theDatabaseStoppedThenStartedIsUnreachableThenReadyWithoutARestart() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    try (FaultProxy proxy = new FaultProxy(db.primaryHost())) {
      secret(client, ns, "db", proxy.route(db));
      configMap(client, ns, "m", exampleMigrations());
      DatabaseBinding binding = binding(ns, "restart", "db", "m");
      binding.getSpec().setCheckInterval("5s");
      create(client, binding);
      awaitCondition(client, ns, "restart", "Ready", "True", "Ready");

      proxy.cutAndRefuse();
      DatabaseBinding down =
          awaitCondition(client, ns, "restart", "DatabaseReachable", "False", "Unreachable");
      assertThat(condition(down, "Ready")).isEqualTo("False/Unreachable");
      assertThat(awaitEvent(client, ns, "restart", "Unreachable")).isPresent();

      proxy.pass();
      long back = System.nanoTime();
      DatabaseBinding up = awaitCondition(client, ns, "restart", "Ready", "True", "Ready");
      System.out.printf(
          "fault: database stopped under the operator; binding Ready %d ms after it came back%n",
          (System.nanoTime() - back) / 1_000_000);
      assertThat(up.getStatus().getSchemaVersion()).isEqualTo("3");
      assertThat(condition(up, "DatabaseReachable")).isEqualTo("True/Connected");
    }
  }

  @Test
  void aBadFileNameIsRefusedBeforeAnythingIsApplied() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    configMap(
        client,
        ns,
        "m",
        Map.of("V1__ok.sql", "CREATE TABLE ok (id int);", "V2_bad.sql", "SELECT 1;"));
    create(client, binding(ns, "names", "db", "m"));

    DatabaseBinding b =
        awaitCondition(client, ns, "names", "MigrationsApplied", "False", "InvalidMigrationName");
    assertThat(condition(b, "Stalled")).isEqualTo("True/InvalidMigrationName");
    assertThat(tables(db)).doesNotContain("ok");
  }

  @Test
  void aMissingConfigMapIsSourceNotFoundUntilItAppears() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    create(client, binding(ns, "src", "db", "later"));
    awaitCondition(client, ns, "src", "MigrationsApplied", "False", "SourceNotFound");

    configMap(client, ns, "later", exampleMigrations());
    DatabaseBinding b = awaitCondition(client, ns, "src", "Ready", "True", "Ready");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("3");
  }

  @Test
  void suspendedBindingAppliesNothingAndReportsPending() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    configMap(client, ns, "m", exampleMigrations());
    DatabaseBinding b = binding(ns, "paused", "db", "m");
    b.getSpec().setSuspend(true);
    create(client, b);

    b = awaitCondition(client, ns, "paused", "MigrationsApplied", "False", "Pending");
    assertThat(b.getStatus().getPendingMigrations()).isEqualTo(4);
    assertThat(condition(b, "Ready")).isEqualTo("False/Pending");
    assertThat(tables(db)).doesNotContain("customers");
  }

  @Test
  void withoutMigrationsOnlyReachabilityIsChecked() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    create(client, binding(ns, "plain", "db"));
    DatabaseBinding b = awaitCondition(client, ns, "plain", "Ready", "True", "Ready");
    assertThat(condition(b, "MigrationsApplied")).isEqualTo("True/NotConfigured");
  }

  @Test
  void theApiServerRefusesBadBindingsWithAClearMessage() {
    DatabaseBinding badInterval = binding(ns, "x1", "db");
    badInterval.getSpec().setCheckInterval("soon");
    assertRefused(badInterval, "checkInterval");

    DatabaseBinding badTarget = binding(ns, "x2", "db", "m");
    badTarget.getSpec().getMigrations().setTarget("newest");
    assertRefused(badTarget, "target must be latest or a version");

    DatabaseBinding noConfigMaps = binding(ns, "x3", "db", "m");
    noConfigMaps.getSpec().getMigrations().setConfigMapRefs(List.of());
    assertRefused(noConfigMaps, "configMapRefs");

    DatabaseBinding noSecretName = binding(ns, "x4", "db");
    noSecretName.getSpec().getDatabase().getSecretRef().setName(null);
    assertRefused(noSecretName, "name");
  }

  @Test
  void eachFieldWrongInTurnIsRefusedByTheApiServerNamingTheField() {
    Map<String, Consumer<DatabaseBinding>> wrong = new LinkedHashMap<>();
    wrong.put("spec", b -> b.setSpec(null));
    wrong.put("spec.database", b -> b.getSpec().setDatabase(null));
    wrong.put("spec.database.secretRef", b -> b.getSpec().getDatabase().setSecretRef(null));
    wrong.put(
        "spec.database.secretRef.name",
        b -> b.getSpec().getDatabase().getSecretRef().setName("Not_A_Name"));
    wrong.put(
        "spec.database.secretRef.key", b -> b.getSpec().getDatabase().getSecretRef().setKey("a/b"));
    wrong.put(
        "spec.migrations.configMapRefs[0].name",
        b -> b.getSpec().getMigrations().setConfigMapRefs(List.of(new ConfigMapRef(""))));
    wrong.put(
        "spec.migrations.configMapRefs",
        b ->
            b.getSpec()
                .getMigrations()
                .setConfigMapRefs(
                    IntStream.range(0, 33).mapToObj(i -> new ConfigMapRef("m" + i)).toList()));
    wrong.put("spec.migrations.schema", b -> b.getSpec().getMigrations().setSchema(""));
    wrong.put("spec.migrations.table", b -> b.getSpec().getMigrations().setTable("t".repeat(64)));
    wrong.put("spec.migrations.target", b -> b.getSpec().getMigrations().setTarget("1.2-beta"));
    wrong.put("spec.checkInterval", b -> b.getSpec().setCheckInterval("-5s"));
    int i = 0;
    for (Map.Entry<String, Consumer<DatabaseBinding>> field : wrong.entrySet()) {
      DatabaseBinding b = binding(ns, "wrong-" + i++, "db", "m");
      field.getValue().accept(b);
      assertRefused(b, field.getKey());
    }
    DatabaseBinding repeated = binding(ns, "wrong-repeated", "db", "m");
    repeated
        .getSpec()
        .getMigrations()
        .setConfigMapRefs(
            List.of(new ConfigMapRef("m"), new ConfigMapRef("n"), new ConfigMapRef("m")));
    assertRefused(repeated, "configMapRefs names each ConfigMap once");
    assertThat(client.resources(DatabaseBinding.class).inNamespace(ns).list().getItems())
        .as("nothing half-created")
        .isEmpty();
  }

  private void assertRefused(DatabaseBinding b, String message) {
    assertThatThrownBy(() -> create(client, b))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  @Test
  void theOperatorServesItsHealthAndMetrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> ready =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://localhost:" + operator.port() + "/health/ready"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"service\":\"operator\"}");

    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    create(client, binding(ns, "metered", "db"));
    awaitCondition(client, ns, "metered", "Ready", "True", "Ready");
    HttpResponse<String> metrics =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + operator.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.body())
        .contains("dbbinding_reconciles_total")
        .contains("dbbinding_reconcile_duration_seconds");
  }
}
