package io.dbbinding.testing;

import io.dbbinding.binding.BindingCrd;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * One real kube-apiserver and etcd for the whole test JVM, started by fabric8's kube-api-test from
 * local binaries (offline: {@code .ci/kube-binaries.sh} builds them into {@code ~/.kubeapitest}).
 * The DatabaseBinding CRD from {@code crds/} is installed once; each test gets a namespace of its
 * own.
 *
 * <p>A bare API server runs no controllers: no scheduler, no node, and no {@code default}
 * ServiceAccount, which {@link #newNamespace()} therefore creates so that pods can be created.
 */
public final class TestKubernetes {
  public static final String VERSION = System.getenv().getOrDefault("KUBE_VERSION", "1.34.4");

  private static KubeAPIServer server;
  private static String kubeconfig;

  private TestKubernetes() {}

  public static synchronized String kubeconfig() {
    if (server == null) {
      start();
    }
    return kubeconfig;
  }

  /** The kubeconfig written to {@code dir}, for a kubectl or an operator process. */
  public static Path kubeconfigFile(Path dir) throws IOException {
    return Files.writeString(dir.resolve("kubeconfig"), kubeconfig());
  }

  /** A new client of the shared server; close it when done. */
  public static KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig())).build();
  }

  /** A fresh namespace with its default ServiceAccount. */
  public static String newNamespace() {
    String name = "t-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    try (KubernetesClient client = client()) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
      client
          .serviceAccounts()
          .inNamespace(name)
          .resource(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("default")
                  .endMetadata()
                  .build())
          .create();
    }
    return name;
  }

  /**
   * The kubectl built beside the API server by {@code .ci/kube-binaries.sh}, for tests that check
   * what a person running it sees.
   */
  public static Path kubectlBinary() {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    Path root =
        dir != null && !dir.isBlank()
            ? Path.of(dir)
            : Path.of(System.getProperty("user.home"), ".kubeapitest");
    return root.resolve("k8s").resolve(VERSION + "-linux-amd64").resolve("kubectl");
  }

  /** The committed CRD, as a user would apply it. */
  public static Path crdFile() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("crds/databasebindings.dbbinding.io-v1.yml");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "crds/databasebindings.dbbinding.io-v1.yml not found above " + dir);
  }

  private static void start() {
    KubeAPIServerConfigBuilder config =
        KubeAPIServerConfigBuilder.anAPIServerConfig()
            .withApiServerVersion(VERSION)
            .withOfflineMode(true)
            .withUpdateKubeConfig(false)
            .withStartupTimeout(120_000);
    String dir = System.getenv("KUBE_API_TEST_DIR");
    if (dir != null && !dir.isBlank()) {
      config.withTestDir(dir);
    }
    server = new KubeAPIServer(config.build());
    server.start();
    kubeconfig = server.getKubeConfigYaml();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "test-kube-apiserver-stop"));
    installCrd();
  }

  private static void installCrd() {
    try (KubernetesClient client = client();
        InputStream in = Files.newInputStream(crdFile())) {
      BindingCrd.install(client, in, Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the CRD", e);
    }
  }
}
