package io.dbbinding.cli;

import io.dbbinding.binding.ConfigMapRef;
import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.binding.DatabaseBindingSpec;
import io.dbbinding.binding.DatabaseRef;
import io.dbbinding.binding.MigrationsSpec;
import io.dbbinding.binding.SecretKeyRef;
import io.dbbinding.readiness.ReadinessGate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The example resources the playground applies, as the README's examples/kubernetes has them: a
 * Secret with the database URL, the migrations ConfigMap, the binding {@code orders}, and an
 * application pod that waits on the binding through its readiness gate.
 */
final class PlaygroundExamples {
  static final String NAMESPACE = "default";
  static final String BINDING = "orders";
  static final String SECRET = "orders-db";
  static final String CONFIG_MAP = "orders-migrations";
  static final String POD = "orders-app";

  /** examples/migrations, copied into the jar at build time. */
  static final String BUNDLED_MIGRATIONS = "playground/migrations";

  private PlaygroundExamples() {}

  static Secret secret(String databaseUrl) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(SECRET)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withType("Opaque")
        .withStringData(Map.of("DATABASE_URL", databaseUrl))
        .build();
  }

  static ConfigMap migrations(Map<String, String> files) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(CONFIG_MAP)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .withData(files)
        .build();
  }

  static DatabaseBinding binding() {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName(BINDING);
    b.getMetadata().setNamespace(NAMESPACE);
    DatabaseBindingSpec spec = new DatabaseBindingSpec();
    DatabaseRef database = new DatabaseRef();
    database.setSecretRef(new SecretKeyRef(SECRET, "DATABASE_URL"));
    spec.setDatabase(database);
    MigrationsSpec migrations = new MigrationsSpec();
    migrations.setConfigMapRefs(List.of(new ConfigMapRef(CONFIG_MAP)));
    spec.setMigrations(migrations);
    spec.setCheckInterval("60s");
    b.setSpec(spec);
    return b;
  }

  /**
   * The application's pod: labelled with its binding and declaring the gate. A bare API server has
   * no scheduler and no node, so it never runs; the gate condition is set all the same.
   */
  static Pod gatedPod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName(POD)
        .withNamespace(NAMESPACE)
        .addToLabels(ReadinessGate.BINDING_LABEL, BINDING)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("example/orders:1")
        .endContainer()
        .addNewReadinessGate(ReadinessGate.CONDITION_TYPE)
        .endSpec()
        .build();
  }

  /** A bare API server runs no controller that would create it; pods need it. */
  static ServiceAccount defaultServiceAccount() {
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName("default")
        .withNamespace(NAMESPACE)
        .endMetadata()
        .build();
  }

  /** The migration files of a folder, by file name: what a ConfigMap of migrations holds. */
  static Map<String, String> migrationFiles(Path folder) {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(folder)) {
      for (Path p : list.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".sql")) {
          files.put(name, Files.readString(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the migrations in " + folder, e);
    }
    return files;
  }

  /** The example migrations inside the jar (or target/classes, when run from the build). */
  static Map<String, String> bundledMigrations() {
    URL url = PlaygroundExamples.class.getClassLoader().getResource(BUNDLED_MIGRATIONS);
    if (url == null) {
      throw new IllegalStateException(
          "this build has no " + BUNDLED_MIGRATIONS + "; pass --location examples/migrations");
    }
    try {
      URI uri = url.toURI();
      if (!"jar".equals(uri.getScheme())) {
        return migrationFiles(Path.of(uri));
      }
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
        return migrationFiles(jar.getPath("/" + BUNDLED_MIGRATIONS));
      }
    } catch (URISyntaxException | IOException e) {
      throw new IllegalStateException("cannot read " + url, e);
    }
  }

  /** The file name of the migration the printed command adds: the next version. */
  static String nextMigrationName(Map<String, String> files) {
    int next =
        files.keySet().stream()
                .filter(n -> n.matches("V\\d+__.*"))
                .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
                .max()
                .orElse(0)
            + 1;
    return "V" + next + "__add_order_notes.sql";
  }
}
