package io.dbbinding.binding;

import static io.dbbinding.binding.OperatorFixture.awaitCondition;
import static io.dbbinding.binding.OperatorFixture.binding;
import static io.dbbinding.binding.OperatorFixture.conditionMessage;
import static io.dbbinding.binding.OperatorFixture.configMap;
import static io.dbbinding.binding.OperatorFixture.create;
import static io.dbbinding.binding.OperatorFixture.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WATCH_LABEL_SELECTOR: the operator caches only the Secrets and ConfigMaps it matches, and a
 * binding referring to another one is told why it is not found.
 */
@Tag("integration")
class WatchLabelSelectorTest {
  private static final String SELECTOR = "dbbinding.io/watch=true";

  @Test
  void onlyLabelledSecretsAndConfigMapsAreRead() throws Exception {
    String ns = TestKubernetes.newNamespace();
    try (KubernetesClient client = TestKubernetes.client()) {
      OperatorRuntime operator =
          OperatorRuntime.start(
              OperatorFixture.options(
                  client,
                  new OperatorSettings(
                      Set.of(ns), false, "l", "", "selective", Duration.ofSeconds(5), SELECTOR)));
      try {
        observeOnlyLabelled(client, ns);
      } finally {
        operator.close();
      }
    }
  }

  private static void observeOnlyLabelled(KubernetesClient client, String ns) throws Exception {
    secret(client, ns, "db", TestDatabases.newDatabase());
    configMap(client, ns, "m", Map.of("V1__orders.sql", "CREATE TABLE orders (id int);"));
    create(client, binding(ns, "orders", "db", "m"));

    DatabaseBinding b =
        awaitCondition(client, ns, "orders", "DatabaseReachable", "False", "SecretNotFound");
    assertThat(conditionMessage(b, "DatabaseReachable"))
        .contains("Secret db not found")
        .contains("labelled " + SELECTOR);

    client
        .secrets()
        .inNamespace(ns)
        .withName("db")
        .edit(
            s -> new SecretBuilder(s).editMetadata().addToLabels(watched()).endMetadata().build());
    b = awaitCondition(client, ns, "orders", "MigrationsApplied", "False", "SourceNotFound");
    assertThat(conditionMessage(b, "MigrationsApplied"))
        .contains("ConfigMap m not found")
        .contains("labelled " + SELECTOR);

    client
        .configMaps()
        .inNamespace(ns)
        .withName("m")
        .edit(
            c ->
                new ConfigMapBuilder(c)
                    .editMetadata()
                    .addToLabels(watched())
                    .endMetadata()
                    .build());
    b = awaitCondition(client, ns, "orders", "Ready", "True", "Ready");
    assertThat(b.getStatus().getSchemaVersion()).isEqualTo("1");
  }

  private static Map<String, String> watched() {
    return Map.of("dbbinding.io/watch", "true");
  }
}
