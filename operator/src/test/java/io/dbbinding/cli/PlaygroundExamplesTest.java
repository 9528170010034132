package io.dbbinding.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.binding.DatabaseBindingStatus;
import io.dbbinding.readiness.ReadinessGate;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the playground applies and prints, without starting it. */
class PlaygroundExamplesTest {
  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text, true);

  @Test
  void theJarCarriesTheExampleMigrationsAndTheCrdAsTheRepositoryHasThem() throws IOException {
    Map<String, String> bundled = PlaygroundExamples.bundledMigrations();
    assertThat(bundled)
        .isEqualTo(PlaygroundExamples.migrationFiles(Path.of("..", "examples", "migrations")))
        .containsKeys("V1__create_customers.sql", "R__customer_order_summary.sql");
    assertThat(PlaygroundExamples.nextMigrationName(bundled)).isEqualTo("V4__add_order_notes.sql");
    try (InputStream crd =
        getClass()
            .getClassLoader()
            .getResourceAsStream("crds/databasebindings.dbbinding.io-v1.yml")) {
      assertThat(new String(crd.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo(
              Files.readString(Path.of("..", "crds", "databasebindings.dbbinding.io-v1.yml")));
    }
  }

  @Test
  void theBindingThePodAndTheSecretReferToEachOther() {
    DatabaseBinding b = PlaygroundExamples.binding();
    assertThat(b.getSpec().getDatabase().getSecretRef().getName())
        .isEqualTo(
            PlaygroundExamples.secret("postgresql://x@localhost:1/x").getMetadata().getName());
    assertThat(b.getSpec().getMigrations().getConfigMapRefs().get(0).getName())
        .isEqualTo(PlaygroundExamples.migrations(Map.of()).getMetadata().getName());
    Pod pod = PlaygroundExamples.gatedPod();
    assertThat(ReadinessGate.declaresGate(pod)).isTrue();
    assertThat(ReadinessGate.bindingName(pod)).contains(b.getMetadata().getName());
  }

  @Test
  void readyPrintsTheSchemaVersionAndNotReadyTheReason() {
    PlaygroundReport.ready(out, "p: ", binding("True", "Ready", "ok", "3"));
    PlaygroundReport.ready(
        out, "p: ", binding("False", "MigrationFailed", "V2__x.sql failed: syntax error", null));
    PlaygroundReport.ready(out, "p: ", null);
    List<String> lines = text.toString().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .matches("p: binding orders is Ready at schema version 3, [0-9.]+ s after the command");
    assertThat(lines.get(1))
        .isEqualTo(
            "p: binding orders is not Ready yet (MigrationFailed: V2__x.sql failed: syntax"
                + " error); see the commands below");
    assertThat(lines.get(2))
        .isEqualTo("p: binding orders is not Ready yet (no status yet); see the commands below");
  }

  @Test
  void theGateLineSaysWhoSetItAndThatThePodNeverRuns() {
    PlaygroundReport.gate(
        out,
        "p: ",
        Optional.of(
            new PodConditionBuilder()
                .withType(ReadinessGate.CONDITION_TYPE)
                .withStatus("True")
                .withReason("Ready")
                .build()));
    PlaygroundReport.gate(out, "p: ", Optional.empty());
    assertThat(text.toString().lines())
        .containsExactly(
            "p: pod orders-app: readiness gate dbbinding.io/ready is True (Ready), set by the"
                + " operator; the pod itself never runs: the playground has no node",
            "p: pod orders-app: readiness gate dbbinding.io/ready not set yet; the pod itself"
                + " never runs: the playground has no node");
  }

  @Test
  void theCommandsCarryTheKubeconfigAndTheNewMigration() {
    PlaygroundReport.commands(
        out, Path.of("/tmp/pg/kubeconfig"), "kubectl", "V4__add_order_notes.sql");
    assertThat(text.toString().lines().filter(l -> l.startsWith("  ")))
        .containsExactly(
            "  kubectl --kubeconfig /tmp/pg/kubeconfig get dbb",
            "  kubectl --kubeconfig /tmp/pg/kubeconfig describe dbb orders",
            "  kubectl --kubeconfig /tmp/pg/kubeconfig patch configmap orders-migrations --type"
                + " merge -p '{\"data\":{\"V4__add_order_notes.sql\":\"ALTER TABLE orders ADD"
                + " COLUMN notes text;\"}}' && kubectl --kubeconfig /tmp/pg/kubeconfig get dbb"
                + " orders --watch");
    assertThat(text.toString()).contains("Kubeconfig: /tmp/pg/kubeconfig");
  }

  private static DatabaseBinding binding(
      String status, String reason, String message, String version) {
    DatabaseBinding b = PlaygroundExamples.binding();
    Condition ready =
        new ConditionBuilder()
            .withType("Ready")
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .build();
    DatabaseBindingStatus s = new DatabaseBindingStatus();
    s.setConditions(List.of(ready));
    s.setSchemaVersion(version);
    b.setStatus(s);
    return b;
  }
}
