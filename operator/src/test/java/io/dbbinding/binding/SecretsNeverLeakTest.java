package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.dbbinding.cli.CliContext;
import io.dbbinding.cli.Main;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.health.Sidecar;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One recognisable password through every failure the sidecar, the CLI and the operator report,
 * then a scan of every log line, HTTP body, status and Event for it: zero hits.
 */
@Tag("integration")
class SecretsNeverLeakTest {
  private static final String PASSWORD = "Recognisable-Pa55word-7f3k";

  @Test
  void theRecognisablePasswordAppearsNowhere() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    StringBuilder seen = new StringBuilder();
    boolean ownsConfig = TestDatabases.server().ownsConfiguration();
    DatabaseUrl db = TestDatabases.newDatabase();
    DatabaseUrl wrongPassword =
        ownsConfig
            ? withPassword(
                TestDatabases.server().passwordRole("leak_probe", "Other-Secret-123", db), PASSWORD)
            : DatabaseUrl.parse("postgresql://app:" + PASSWORD + "@127.0.0.1:1/app");
    String unreachable = "postgresql://app:" + PASSWORD + "@127.0.0.1:1/app";
    String malformed = "mysql://app:" + PASSWORD + "@db:3306/app";
    try {
      // The sidecar, refused by the database.
      try (Sidecar sidecar =
          Sidecar.start(
              Settings.load(
                  SettingSource.of(
                      Map.of(
                          "DATABASE_URL",
                          PostgresServer.rawUrl(wrongPassword),
                          "HEALTH_CACHE_TTL_MS",
                          "0"))),
              0)) {
        HttpClient http = HttpClient.newHttpClient();
        for (String path :
            new String[] {
              "/", "/health", "/health/db", "/health/ready", "/metrics", "/openapi.json", "/nope"
            }) {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port() + path))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          seen.append(r.statusCode()).append(r.headers().map()).append(r.body());
        }
      }

      // The CLI, with each kind of bad URL.
      StringBuilder cliOutput = new StringBuilder();
      for (String url :
          new String[] {PostgresServer.rawUrl(wrongPassword), unreachable, malformed}) {
        for (String[] args :
            new String[][] {
              {"info"}, {"migrate", "--location", "../examples/migrations"}, {"sidecar", "--help"}
            }) {
          StringWriter out = new StringWriter();
          StringWriter err = new StringWriter();
          // The CLI configures logging afresh (its log lines go to standard error), which
          // detaches this test's appender: capture the process streams, then reattach.
          ByteArrayOutputStream console = new ByteArrayOutputStream();
          PrintStream stdout = System.out;
          PrintStream stderr = System.err;
          System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
          System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
          try {
            Main.run(
                new CliContext(
                    SettingSource.of(Map.of("DATABASE_URL", url)),
                    Path.of(""),
                    new PrintWriter(out, true),
                    new PrintWriter(err, true)),
                args);
          } finally {
            System.setOut(stdout);
            System.setErr(stderr);
          }
          seen.append(out).append(err).append(console.toString(StandardCharsets.UTF_8));
          cliOutput.append(out).append(err).append(console.toString(StandardCharsets.UTF_8));
        }
      }
      assertThat(cliOutput.toString()).as("the CLI reported its failures").contains("postgresql");
      // (a reset also stops the appenders it detaches)
      logs.start();
      if (!root.isAttached(logs)) {
        root.addAppender(logs);
      }
      root.setLevel(Level.INFO);

      // The operator: statuses and Events of bindings whose Secrets hold the password.
      try (KubernetesClient client = TestKubernetes.client()) {
        OperatorRuntime operator = OperatorFixture.startOperator(client, false, "", "leak-test");
        try {
          String ns = TestKubernetes.newNamespace();
          secret(client, ns, "malformed", malformed);
          secret(client, ns, "unreachable", unreachable);
          secret(client, ns, "refused", PostgresServer.rawUrl(wrongPassword));
          create(client, binding(ns, "malformed", "malformed"));
          create(client, binding(ns, "unreachable", "unreachable"));
          create(client, binding(ns, "refused", "refused"));
          awaitCondition(client, ns, "malformed", "Stalled", "True", "InvalidDatabaseURL");
          awaitCondition(client, ns, "unreachable", "Stalled", "True", "RetryLimitReached");
          awaitCondition(client, ns, "refused", "Stalled", "True", "RetryLimitReached");
          awaitCondition(
              client,
              ns,
              "refused",
              "Ready",
              "False",
              ownsConfig ? "AuthenticationFailed" : "Unreachable");
          for (DatabaseBinding b :
              client.resources(DatabaseBinding.class).inNamespace(ns).list().getItems()) {
            seen.append(Serialization.asYaml(b.getStatus()));
          }
          for (Event e : client.v1().events().inNamespace(ns).list().getItems()) {
            seen.append(e.getReason()).append(e.getMessage());
          }
        } finally {
          operator.close();
        }
      }
    } finally {
      root.detachAppender(logs);
    }
    for (ILoggingEvent e : logs.list) {
      seen.append(e.getFormattedMessage())
          .append(e.getKeyValuePairs())
          .append(e.getMDCPropertyMap());
      if (e.getThrowableProxy() != null) {
        seen.append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
    }
    assertThat(logs.list)
        .as("the sidecar and the operator logged their failures")
        .extracting(ILoggingEvent::getFormattedMessage)
        .contains("http.probe_changed", "binding.reconciled");
    assertThat(seen.toString())
        .as("what was scanned")
        .contains("InvalidDatabaseURL")
        .contains("Database unavailable")
        .contains(":****@")
        .doesNotContain(PASSWORD);
  }

  private static DatabaseUrl withPassword(DatabaseUrl url, String password) {
    return new DatabaseUrl(url.hosts(), url.database(), url.user(), password, url.parameters());
  }
}
