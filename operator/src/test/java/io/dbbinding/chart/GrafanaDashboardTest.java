package io.dbbinding.chart;

import static io.dbbinding.chart.PrometheusRuleTest.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.binding.OperatorFixture;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.health.Sidecar;
import io.dbbinding.testing.Eventually;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart's Grafana dashboard: off by default; a ConfigMap labelled for Grafana's sidecar when
 * on; and every metric its PromQL queries exists in the {@code /metrics} output of a running
 * operator (with a Ready binding, a failing one and a gated pod) or a running sidecar.
 */
class GrafanaDashboardTest {
  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "inf",
          "nan");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void offByDefault() {
    assertThat(template(Map.of())).noneMatch(o -> o.getKind().equals("ConfigMap"));
  }

  @Test
  void aNamespaceThatIsNotADnsLabelIsRefused() {
    assertThatThrownBy(
            () ->
                template(
                    Map.of(
                        "metrics.grafanaDashboard.enabled",
                        true,
                        "metrics.grafanaDashboard.namespace",
                        "Monitoring_NS")))
        .hasMessageContaining("grafanaDashboard");
  }

  @Test
  void aConfigMapForGrafanasSidecarWhenAsked() throws Exception {
    ConfigMap dashboard = dashboardConfigMap();
    assertThat(dashboard.getMetadata().getName()).isEqualTo("dbb-dbbinding-dashboard");
    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels())
        .containsEntry("grafana_dashboard", "1")
        .containsEntry("team", "payments");
    assertThat(dashboard.getMetadata().getAnnotations())
        .containsEntry("grafana_folder", "Databases");
    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("dbbinding.json"));
    assertThat(json.path("title").asText()).isEqualTo("dbbinding");
    assertThat(expressions(json)).hasSizeGreaterThan(10);
  }

  @Test
  @Tag("integration")
  void everyMetricTheDashboardQueriesIsExportedByTheOperatorOrTheSidecar() throws Exception {
    Set<String> queried = new TreeSet<>();
    for (String expr : expressions(new ObjectMapper().readTree(dashboardJson()))) {
      queried.addAll(metricNames(expr));
    }
    assertThat(queried)
        .as("metric names parsed from the dashboard")
        .contains("dbbinding_binding_ready", "hikaricp_connections_active");

    Set<String> exported = new TreeSet<>();
    exported.addAll(sampleNames(operatorMetrics()));
    exported.addAll(sampleNames(sidecarMetrics()));

    assertThat(queried).as("queried but exported by neither").isSubsetOf(exported);
  }

  private ConfigMap dashboardConfigMap() {
    List<HasMetadata> objects =
        template(
            Map.of(
                "metrics.grafanaDashboard.enabled", true,
                "metrics.grafanaDashboard.namespace", "monitoring",
                "metrics.grafanaDashboard.labels.team", "payments",
                "metrics.grafanaDashboard.folder", "Databases"));
    return Manifests.one(objects, ConfigMap.class);
  }

  private String dashboardJson() {
    return dashboardConfigMap().getData().get("dbbinding.json");
  }

  /** Every PromQL expression of every panel, rows' nested panels included. */
  static List<String> expressions(JsonNode dashboard) {
    List<String> out = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> out.add(e.asText()));
    return out;
  }

  /**
   * The metric names an expression selects: identifiers that are not inside a label matcher, a
   * quoted string or a range, not a function (followed by a parenthesis), not a label list of by
   * and on, and not a PromQL keyword.
   */
  static Set<String> metricNames(String expr) {
    String s =
        expr.replaceAll("\"(\\\\.|[^\"])*\"", "\"\"")
            .replaceAll("\\{[^}]*\\}", " ")
            .replaceAll("\\[[^]]*\\]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String word = m.group();
      String rest = s.substring(m.end()).stripLeading();
      boolean function = rest.startsWith("(");
      boolean number = m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1));
      if (!function && !number && !PROMQL_WORDS.contains(word.toLowerCase())) {
        names.add(word);
      }
    }
    return names;
  }

  /** The sample names of a Prometheus text exposition: histograms and summaries as _count etc. */
  static Set<String> sampleNames(String exposition) {
    return exposition
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private String operatorMetrics() throws Exception {
    KubernetesClient client = TestKubernetes.client();
    String ns = TestKubernetes.newNamespace();
    try (OperatorRuntime operator = OperatorFixture.watching(client, ns, "dashboard-test")) {
      DatabaseUrl db = TestDatabases.newDatabase();
      OperatorFixture.secret(client, ns, "db", db);
      OperatorFixture.configMap(
          client, ns, "m", Map.of("V1__init.sql", "CREATE TABLE t (id int);"));
      OperatorFixture.create(client, OperatorFixture.binding(ns, "good", "db", "m"));
      OperatorFixture.create(client, OperatorFixture.binding(ns, "missing", "no-such-secret"));
      OperatorFixture.awaitCondition(client, ns, "good", "Ready", "True", "Ready");
      OperatorFixture.awaitCondition(
          client, ns, "missing", "DatabaseReachable", "False", "SecretNotFound");
      // A gated pod of the Ready binding, so that the operator writes its gate condition.
      client
          .pods()
          .inNamespace(ns)
          .resource(OperatorFixture.pod(ns, "app", "good", true).build())
          .create();
      Eventually.get(
          "the pod's dbbinding.io/ready condition",
          OperatorFixture.WAIT,
          () -> {
            var pod = client.pods().inNamespace(ns).withName("app").get();
            return pod.getStatus() != null
                    && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "dbbinding.io/ready".equals(c.getType()))
                ? pod
                : null;
          });
      return get(operator.port());
    } finally {
      client.close();
    }
  }

  private String sidecarMetrics() throws Exception {
    DatabaseUrl db = TestDatabases.newDatabase();
    Settings settings =
        Settings.load(SettingSource.of(Map.of("DATABASE_URL", PostgresServer.rawUrl(db))));
    try (Sidecar sidecar = Sidecar.start(settings, 0)) {
      http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port() + "/health/db"))
              .build(),
          HttpResponse.BodyHandlers.discarding());
      return get(sidecar.port());
    }
  }

  private String get(int port) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
