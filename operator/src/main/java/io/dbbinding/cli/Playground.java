package io.dbbinding.cli;

import io.dbbinding.binding.BindingCrd;
import io.dbbinding.binding.Conditions;
import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.Settings;
import io.dbbinding.readiness.ReadinessGate;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The playground's parts, running: an embedded PostgreSQL, a kube-apiserver with its etcd
 * (kube-api-test), the CRD, the operator in this process, and the example resources. Everything it
 * starts is registered for {@link #close()}, which stops it in reverse order and removes the data
 * directories and the kubeconfig.
 *
 * <p>Only {@code dbbinding playground} loads this class, after {@link PlaygroundClasses} found
 * kube-api-test on the class path: it names kube-api-test's types (and {@link EmbeddedDatabase} the
 * embedded PostgreSQL's), whose jars the production image leaves out.
 */
final class Playground implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Playground.class);
  private static final String CRD = "crds/databasebindings.dbbinding.io-v1.yml";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  /** What to start: the binaries' place and version, and the migrations for the ConfigMap. */
  record Plan(KubeBinaries binaries, String version, boolean offline, Map<String, String> files) {}

  private final Deque<Part> parts = new ArrayDeque<>();
  private boolean closed;
  private KubernetesClient client;
  private Path kubeconfig;

  private record Part(String name, AutoCloseable stop) {}

  /** Starts everything; on failure (or an interrupt: Ctrl-C) stops what had started. */
  static Playground start(Plan plan, Settings settings, Consumer<String> progress)
      throws Exception {
    Playground p = new Playground();
    try {
      p.startAll(plan, settings, progress);
      return p;
    } catch (Exception | Error e) {
      // A Ctrl-C interrupts the start; the stop must not be interrupted too (waits for processes).
      boolean interrupted = Thread.interrupted();
      p.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      throw e;
    }
  }

  private void startAll(Plan plan, Settings settings, Consumer<String> progress) throws Exception {
    Path work = Files.createTempDirectory("dbbinding-playground-");
    register("working directory " + work, () -> deleteTree(work));
    // PostgreSQL starts in a second or two; the API server takes longer. Side by side.
    CompletableFuture<EmbeddedDatabase> postgres =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return EmbeddedDatabase.start();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    register(
        "PostgreSQL",
        () -> {
          EmbeddedDatabase pg = joined(postgres);
          if (pg != null) {
            pg.close();
          }
        });

    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(plan.binaries().directory().toString())
                .withApiServerVersion(plan.version())
                .withOfflineMode(plan.offline())
                .withUpdateKubeConfig(false)
                // A laptop's playground answers only this laptop.
                .withApiServerFlag("--bind-address", "127.0.0.1")
                .withStartupTimeout((int) START_TIMEOUT.toMillis())
                .build());
    // Registered before start: a start that fails half-way has an etcd to stop all the same.
    register("kube-apiserver and etcd", server::stop);
    server.start();
    String yaml = server.getKubeConfigYaml();
    progress.accept(
        "kube-apiserver "
            + plan.binaries().cachedVersion().orElse(plan.version())
            + " and etcd at "
            + Config.fromKubeconfig(yaml).getMasterUrl());
    kubeconfig = work.resolve("kubeconfig");
    Files.writeString(
        Files.createFile(
            kubeconfig,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
        yaml);
    client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
    register("Kubernetes client", client::close);
    installCrd();
    progress.accept("installed the DatabaseBinding CRD");

    String databaseUrl = postgres.join().url();
    progress.accept("PostgreSQL 18 at " + databaseUrl);

    OperatorRuntime operator =
        OperatorRuntime.start(
            OperatorOptions.of(
                    client,
                    settings,
                    new OperatorSettings(
                        Set.of(),
                        false,
                        "dbbinding-operator",
                        PlaygroundExamples.NAMESPACE,
                        "playground",
                        Duration.ofSeconds(5)))
                .withPort(0));
    register("operator", operator::close);
    progress.accept(
        "operator running in this process; its metrics at http://localhost:"
            + operator.port()
            + "/metrics");

    client.resource(PlaygroundExamples.defaultServiceAccount()).serverSideApply();
    client.resource(PlaygroundExamples.secret(databaseUrl)).serverSideApply();
    client.resource(PlaygroundExamples.migrations(plan.files())).serverSideApply();
    client.resource(PlaygroundExamples.binding()).serverSideApply();
    client.resource(PlaygroundExamples.gatedPod()).serverSideApply();
    progress.accept(
        "applied Secret orders-db, ConfigMap orders-migrations ("
            + plan.files().size()
            + " migrations), DatabaseBinding orders and Pod orders-app (gated) in namespace "
            + PlaygroundExamples.NAMESPACE);
  }

  private void installCrd() throws IOException {
    try (InputStream in = Playground.class.getClassLoader().getResourceAsStream(CRD)) {
      if (in == null) {
        throw new IllegalStateException("this build has no " + CRD);
      }
      BindingCrd.install(client, in, START_TIMEOUT);
    }
  }

  /** The binding once Ready, or as it is when {@code timeout} runs out. */
  DatabaseBinding awaitReady(Duration timeout) {
    var resource =
        client
            .resources(DatabaseBinding.class)
            .inNamespace(PlaygroundExamples.NAMESPACE)
            .withName(PlaygroundExamples.BINDING);
    try {
      return resource.waitUntilCondition(
          b ->
              b != null
                  && b.getStatus() != null
                  && Conditions.isTrue(b.getStatus().getConditions(), "Ready"),
          timeout.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (KubernetesClientTimeoutException e) {
      return resource.get();
    }
  }

  /** The pod's readiness-gate condition once the operator has set it True, else as it is. */
  Optional<PodCondition> awaitGate(Duration timeout) {
    var resource =
        client.pods().inNamespace(PlaygroundExamples.NAMESPACE).withName(PlaygroundExamples.POD);
    try {
      Pod pod =
          resource.waitUntilCondition(
              p ->
                  p != null
                      && ReadinessGate.current(p)
                          .filter(c -> "True".equals(c.getStatus()))
                          .isPresent(),
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
      return ReadinessGate.current(pod);
    } catch (KubernetesClientTimeoutException e) {
      return Optional.ofNullable(resource.get()).flatMap(ReadinessGate::current);
    }
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  private synchronized void register(String name, AutoCloseable stop) {
    parts.push(new Part(name, stop));
  }

  /** Stops everything in reverse order of start; one part failing does not keep the rest. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!parts.isEmpty()) {
      Part part = parts.pop();
      try {
        part.stop().close();
      } catch (Exception e) {
        log.atWarn()
            .setMessage("playground.stop_failed")
            .addKeyValue("part", part.name())
            .addKeyValue("error", Main.oneLine(e))
            .log();
      }
    }
  }

  /** The started PostgreSQL, or null when it failed or is still starting and fails. */
  private static EmbeddedDatabase joined(CompletableFuture<EmbeddedDatabase> postgres) {
    try {
      return postgres.join();
    } catch (CompletionException e) {
      return null;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
