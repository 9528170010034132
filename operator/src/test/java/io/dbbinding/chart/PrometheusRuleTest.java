package io.dbbinding.chart;

import static io.dbbinding.chart.Manifests.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.dbbinding.testing.RenderableChart;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's PrometheusRule: off by default; rendered by a real Helm, its rule groups pass
 * Prometheus's own {@code promtool check rules} and the rule unit tests in {@code
 * alerts/dbbinding-alerts-test.yaml} ({@code promtool test rules}), in which each alert fires on a
 * series that should fire it and stays silent on one that should not.
 */
class PrometheusRuleTest {
  static final Path RULE_TESTS = Path.of("src", "test", "resources", "alerts");

  static List<HasMetadata> template(Map<String, Object> values) {
    var t =
        new Helm(RenderableChart.path())
            .template()
            .withName("dbb")
            .withNamespace("dbbinding-system");
    values.forEach(t::set);
    return parse(t.call());
  }

  static GenericKubernetesResource kind(List<HasMetadata> objects, String kind) {
    List<GenericKubernetesResource> found =
        objects.stream()
            .filter(o -> o.getKind().equals(kind))
            .map(GenericKubernetesResource.class::cast)
            .toList();
    assertThat(found).as(kind).hasSize(1);
    return found.getFirst();
  }

  @Test
  void offByDefault() {
    assertThat(template(Map.of())).noneMatch(o -> o.getKind().equals("PrometheusRule"));
  }

  @Test
  void labelsNamespaceAndExtraAlertLabelsAreTaken() {
    GenericKubernetesResource rule =
        kind(
            template(
                Map.of(
                    "metrics.prometheusRule.enabled", true,
                    "metrics.prometheusRule.namespace", "monitoring",
                    "metrics.prometheusRule.labels.release", "kube-prometheus-stack",
                    "metrics.prometheusRule.additionalLabels.team", "payments")),
            "PrometheusRule");
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    List<Map<String, Object>> rules = rule.get("spec", "groups", 0, "rules");
    assertThat(rules)
        .extracting(r -> r.get("alert"))
        .containsExactly(
            "DatabaseBindingNotReady",
            "DatabaseBindingStalled",
            "DatabaseBindingMigrationFailed",
            "DatabaseBindingSchemaDrift",
            "DatabaseBindingWaitingForRollout",
            "DbbindingOperatorNoLeader");
    assertThat(rules)
        .allSatisfy(
            r -> {
              // Drift and a contract step waiting for the rollout are warnings: the application
              // may run on (spec.migrations.drift warn), and nothing is broken while a step waits.
              String severity =
                  "DatabaseBindingSchemaDrift".equals(r.get("alert"))
                          || "DatabaseBindingWaitingForRollout".equals(r.get("alert"))
                      ? "warning"
                      : "critical";
              assertThat(r.get("labels"))
                  .isEqualTo(Map.of("severity", severity, "team", "payments"));
              @SuppressWarnings("unchecked")
              Map<String, String> annotations = (Map<String, String>) r.get("annotations");
              assertThat(annotations).containsKeys("summary", "description");
              assertThat(annotations.get("runbook_url"))
                  .endsWith("docs/custom-resource.md#conditions-and-what-to-do-about-them");
            });
    // The page and its anchor exist: the runbook links of every installed chart point there.
    assertThat(Path.of("..", "docs", "custom-resource.md"))
        .content()
        .contains("## Conditions and what to do about them");
  }

  @Test
  void aRunbookUrlThatIsNotAUrlIsRefused() {
    assertThatThrownBy(
            () ->
                template(
                    Map.of(
                        "metrics.prometheusRule.enabled",
                        true,
                        "metrics.prometheusRule.runbookUrl",
                        "README.md")))
        .hasMessageContaining("runbookUrl");
  }

  @Test
  @Tag("integration") // needs promtool, as the operator tests need kube-apiserver
  void eachAlertFiresOnASeriesThatShouldFireItAndStaysSilentOnOneThatShouldNot(@TempDir Path dir)
      throws Exception {
    Path promtool = Promtool.find();
    GenericKubernetesResource rule =
        kind(template(Map.of("metrics.prometheusRule.enabled", true)), "PrometheusRule");
    // A Prometheus rule file is the PrometheusRule's spec; JSON is YAML, as promtool reads it.
    Object groups = rule.get("spec", "groups");
    Files.writeString(
        dir.resolve("rules.yaml"), new ObjectMapper().writeValueAsString(Map.of("groups", groups)));
    Path tests = dir.resolve("dbbinding-alerts-test.yaml");
    Files.copy(RULE_TESTS.resolve("dbbinding-alerts-test.yaml"), tests);

    Result check = run(dir, promtool.toString(), "check", "rules", "rules.yaml");
    assertThat(check.exit()).as("promtool check rules:%n%s", check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 6 rules found");

    Result test = run(dir, promtool.toString(), "test", "rules", tests.getFileName().toString());
    assertThat(test.exit()).as("promtool test rules:%n%s", test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  record Result(int exit, String output) {}

  static Result run(Path dir, String... command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
    }
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
