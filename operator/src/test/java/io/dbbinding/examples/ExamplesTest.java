package io.dbbinding.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** examples/ must work as it is: in sync with the migrations, and accepted by an API server. */
class ExamplesTest {
  static final Path KUBERNETES = Path.of("..", "examples", "kubernetes");
  static final Path WITHOUT_OPERATOR = Path.of("..", "examples", "without-operator");
  static final Path INIT_CONTAINER = Path.of("..", "examples", "init-container");

  @Test
  void theConfigMapHoldsExactlyTheExampleMigrations() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(Path.of("..", "examples", "migrations"))) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), Files.readString(p).stripTrailing());
      }
    }
    try (KubernetesClient offline =
            new io.fabric8.kubernetes.client.KubernetesClientBuilder().build();
        InputStream in = Files.newInputStream(KUBERNETES.resolve("migrations-configmap.yaml"))) {
      ConfigMap cm = offline.configMaps().load(in).item();
      Map<String, String> data = new TreeMap<>();
      cm.getData().forEach((k, v) -> data.put(k, v.stripTrailing()));
      assertThat(data)
          .as("regenerate examples/kubernetes/migrations-configmap.yaml")
          .isEqualTo(files);
    }
  }

  @Test
  @Tag("integration")
  void theApiServerAcceptsEveryExampleManifest() throws IOException {
    String ns = TestKubernetes.newNamespace();
    try (KubernetesClient client = TestKubernetes.client();
        Stream<Path> list =
            Stream.of(KUBERNETES, WITHOUT_OPERATOR, INIT_CONTAINER)
                .flatMap(ExamplesTest::files)
                .sorted()) {
      for (Path file : list.toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          List<HasMetadata> objects = client.load(in).items();
          for (HasMetadata o : objects) {
            client.resource(o).inNamespace(ns).create();
          }
        }
      }
      DatabaseBinding binding =
          client.resources(DatabaseBinding.class).inNamespace(ns).withName("orders").get();
      assertThat(binding.getSpec().getDatabase().getSecretRef().getName()).isEqualTo("orders-db");
      assertThat(binding.getSpec().getMigrations().getConfigMapRefs()).hasSize(1);
      assertThat(client.apps().deployments().inNamespace(ns).withName("orders-api").get())
          .isNotNull();
      assertThat(client.secrets().inNamespace(ns).withName("orders-db").get()).isNotNull();
      Job job = client.batch().v1().jobs().inNamespace(ns).withName("orders-migrate").get();
      var pod = job.getSpec().getTemplate().getSpec();
      assertThat(pod.getContainers().get(0).getArgs())
          .containsExactly("migrate", "--location", "/migrations");
      assertThat(pod.getVolumes())
          .anySatisfy(
              v ->
                  assertThat(
                          client
                              .configMaps()
                              .inNamespace(ns)
                              .withName(v.getConfigMap().getName())
                              .get())
                      .isNotNull());

      // The init-container examples wait for the schema without Kubernetes API access.
      var report = client.batch().v1().jobs().inNamespace(ns).withName("orders-report").get();
      var worker = client.apps().deployments().inNamespace(ns).withName("orders-worker").get();
      for (var spec :
          List.of(
              report.getSpec().getTemplate().getSpec(), worker.getSpec().getTemplate().getSpec())) {
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        var wait = spec.getInitContainers().get(0);
        assertThat(wait.getArgs()).startsWith("wait", "--schema-version", "3", "--timeout");
        assertThat(wait.getEnv().get(0).getValueFrom().getSecretKeyRef().getName())
            .isEqualTo("orders-db");
      }
    }
  }

  private static Stream<Path> files(Path folder) {
    try {
      return Files.list(folder);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
