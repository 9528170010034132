package io.dbbinding.packaging;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.HttpStatus;
import io.dbbinding.testing.ImageClassPath;
import io.dbbinding.testing.MissingClasses;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.dbbinding.webhook.GateWebhookTest;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every role run from the class path the image has: without the embedded PostgreSQL's and
 * kube-api-test's jars, and the sidecar on only the jars it loads. picocli reflects every command
 * class at start, so a single command naming one of their types once made every role crash in the
 * image with {@code NoClassDefFoundError}.
 */
@Tag("integration")
class ProductionRolesTest {
  private static final Duration START = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void theImageDeletesExactlyTheJarsThisTestLeavesOut() throws IOException {
    String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
    for (String prefix : ImageClassPath.NOT_IN_IMAGE) {
      assertThat(dockerfile).contains("rm -f /app/lib/" + prefix + "-*.jar");
    }
  }

  @Test
  void helpAsTheImageBuildRunsItForItsClassDataArchive() throws Exception {
    Result help = run("--help");
    assertThat(help.status()).as(help.output()).isZero();
    assertThat(help.output()).contains("sidecar", "operator", "migrate", "dev", "playground");
  }

  @Test
  void sidecarServesItsProbesAndStopsCleanly() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    int port = FreePorts.any();
    Path log = dir.resolve("sidecar.log");
    ProcessBuilder pb = CliProcess.productionBuilder(log, "sidecar");
    pb.environment().put("DATABASE_URL", PostgresServer.rawUrl(db));
    pb.environment().put("PORT", Integer.toString(port));
    Process process = pb.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
      Eventually.until(
          "the sidecar's first 200 on /health/ready",
          START,
          () -> HttpStatus.of(http, ready) == 200);
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    } finally {
      process.destroyForcibly();
    }
    MissingClasses.assertNoneIn(log); // NoClassDefFoundError and ClassNotFoundException
  }

  @Test
  void migrateInfoAndValidateWork() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path migrations = Files.createDirectory(dir.resolve("migrations"));
    Files.writeString(migrations.resolve("V1__orders.sql"), "CREATE TABLE orders (id int);");
    Map<String, String> env = Map.of("DATABASE_URL", PostgresServer.rawUrl(db));

    Result migrate = run(env, "migrate", "--location", migrations.toString());
    assertThat(migrate.status()).as(migrate.output()).isZero();
    try (Connection c = PostgresServer.connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
      assertThat(rs.next()).isTrue();
    }
    Result info = run(env, "info", "--location", migrations.toString());
    assertThat(info.status()).as(info.output()).isZero();
    assertThat(info.output()).contains("orders");
    Result validate = run(env, "validate", "--location", migrations.toString());
    assertThat(validate.status()).as(validate.output()).isZero();
  }

  @Test
  void waitExitsWithItsCodesAsAProcess() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path migrations = Files.createDirectory(dir.resolve("migrations"));
    Files.writeString(migrations.resolve("V1__orders.sql"), "CREATE TABLE orders (id int);");
    Map<String, String> env = Map.of("DATABASE_URL", PostgresServer.rawUrl(db));
    assertThat(run(env, "migrate", "--location", migrations.toString()).status()).isZero();

    Result reached = run(env, "wait", "--schema-version", "1");
    assertThat(reached.status()).as(reached.output()).isZero();
    Result behind = run(env, "wait", "--schema-version", "2", "--timeout", "1s");
    assertThat(behind.status()).as(behind.output()).isEqualTo(1);
    assertThat(behind.output().strip())
        .endsWith("dbbinding: timed out after 1s: schema version 1 is behind required 2");
    assertThat(run(env, "wait").status()).isEqualTo(2);
  }

  @Test
  void operatorReconcilesABindingToReadyAndMakesItsWebhookCertificate() throws Exception {
    KubernetesClient client = TestKubernetes.client();
    String ns = TestKubernetes.newNamespace();
    DatabaseUrl db = TestDatabases.newDatabase();
    secret(client, ns, "db", db);
    configMap(client, ns, "m", Map.of("V1__a.sql", "CREATE TABLE a (id int);"));
    // As the chart installs them: an empty Secret for the key pair and the configuration whose
    // caBundle the operator keeps. Making the certificate needs Bouncy Castle in the image.
    secret(client, ns, "webhook-tls", "Opaque", Map.of());
    String configuration = "dbbinding-production-" + ns;
    int webhookPort = FreePorts.any();
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(GateWebhookTest.webhookConfiguration(configuration, webhookPort, List.of(ns)))
        .create();
    Path log = dir.resolve("operator.log");
    ProcessBuilder pb = CliProcess.productionBuilder(log, "operator");
    pb.environment().put("KUBECONFIG", TestKubernetes.kubeconfigFile(dir).toString());
    pb.environment().put("WATCH_NAMESPACES", ns);
    pb.environment().put("POD_NAMESPACE", ns);
    pb.environment().put("LEADER_ELECTION", "false");
    pb.environment().put("PORT", Integer.toString(FreePorts.any()));
    pb.environment().put("WEBHOOK_ENABLED", "true");
    pb.environment().put("WEBHOOK_PORT", Integer.toString(webhookPort));
    pb.environment().put("WEBHOOK_SECRET", "webhook-tls");
    pb.environment().put("WEBHOOK_CONFIGURATION", configuration);
    pb.environment().put("WEBHOOK_CERT_HOSTS", "127.0.0.1");
    Process process = pb.start();
    try {
      create(client, binding(ns, "orders", "db", "m"));
      awaitCondition(client, ns, "orders", "Ready", "True", "Ready");
      Eventually.until(
          "the webhook's certificate in its Secret and the caBundle",
          START,
          () -> {
            Secret tls = client.secrets().inNamespace(ns).withName("webhook-tls").get();
            MutatingWebhookConfiguration c =
                client
                    .admissionRegistration()
                    .v1()
                    .mutatingWebhookConfigurations()
                    .withName(configuration)
                    .get();
            return tls.getData() != null
                && tls.getData().containsKey("tls.crt")
                && c.getWebhooks().get(0).getClientConfig().getCaBundle() != null;
          });
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    } finally {
      process.destroyForcibly();
      client
          .admissionRegistration()
          .v1()
          .mutatingWebhookConfigurations()
          .withName(configuration)
          .delete();
    }
  }

  @Test
  void lintReadsTheBusyTableIndexAndSaysWhatToWriteInstead() throws Exception {
    Path migrations = Files.createDirectory(dir.resolve("lint"));
    Files.writeString(
        migrations.resolve("V1__orders.sql"),
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);");
    Files.writeString(
        migrations.resolve("V2__orders_customer.sql"), "create index on orders(customer_id);\n");
    Result lint = run("lint", "--location", migrations.toString());
    assertThat(lint.status()).as(lint.output()).isEqualTo(1);
    assertThat(lint.output())
        .contains("V2__orders_customer.sql:1 require-concurrent-index-creation")
        .contains("instead write CREATE INDEX CONCURRENTLY")
        .contains("lock: SHARE on the table");
  }

  @Test
  void devSaysInOneLineThatThereIsNoEmbeddedDatabase() throws Exception {
    Result dev = run("dev");
    assertThat(dev.status()).isEqualTo(2);
    assertThat(dev.output().strip())
        .doesNotContain("\n")
        .startsWith("dbbinding dev: this build has no embedded PostgreSQL");
  }

  @Test
  void diffSaysInOneLineThatItNeedsTheEmbeddedDatabase() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Path migrations = Files.createDirectory(dir.resolve("diff-migrations"));
    Files.writeString(migrations.resolve("V1__orders.sql"), "CREATE TABLE orders (id int);");
    Result diff =
        run(
            Map.of("DATABASE_URL", PostgresServer.rawUrl(db)),
            "diff",
            "--location",
            migrations.toString());
    assertThat(diff.status()).as(diff.output()).isEqualTo(2);
    assertThat(diff.output().strip())
        .doesNotContain("\n")
        .startsWith("dbbinding: diff applies the migrations to an embedded PostgreSQL");
  }

  @Test
  void playgroundSaysInOneLineThatThereIsNoPlayground() throws Exception {
    Result playground = run("playground");
    assertThat(playground.status()).isEqualTo(2);
    assertThat(playground.output().strip())
        .doesNotContain("\n")
        .startsWith("dbbinding playground: this build has no playground");
  }

  private record Result(int status, String output) {}

  private Result run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    Path log = Files.createTempFile(dir, "cli", ".log");
    ProcessBuilder pb = CliProcess.productionBuilder(log, args);
    pb.environment().putAll(env);
    pb.environment().put("LOG_FORMAT", "text");
    Process process = pb.start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    process.destroyForcibly();
    assertThat(exited).as("dbbinding %s exited; output:%n%s", args, Files.readString(log)).isTrue();
    return new Result(process.exitValue(), Files.readString(log));
  }
}
