package io.dbbinding.bench;

import io.dbbinding.binding.Conditions;
import io.dbbinding.binding.ConfigMapRef;
import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.binding.DatabaseBindingSpec;
import io.dbbinding.binding.DatabaseRef;
import io.dbbinding.binding.MigrationsSpec;
import io.dbbinding.binding.SecretKeyRef;
import io.dbbinding.cli.OperatorOptions;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.ProcessStatus;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator in this JVM against a real kube-apiserver and PostgreSQL: binding to Ready (median
 * of 20), 200 bindings to all Ready with heap and RSS, and CPU used per minute when nothing
 * changes.
 */
public final class OperatorBench {
  public static void main(String[] args) throws Exception {
    Logging.quiet();
    KubernetesClient client = TestKubernetes.client();
    OperatorRuntime operator =
        OperatorRuntime.start(
            OperatorOptions.of(
                    client,
                    Settings.load(SettingSource.of(Map.of())),
                    new OperatorSettings(Set.of(), false, "l", "", "bench", Duration.ofSeconds(5)))
                .withPort(0));
    String ns = TestKubernetes.newNamespace();
    String url = PostgresServer.rawUrl(TestDatabases.newDatabase());
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withStringData(Map.of("DATABASE_URL", url))
                .build())
        .create();
    client
        .configMaps()
        .inNamespace(ns)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("m")
                .endMetadata()
                .withData(Map.of("V1__a.sql", "CREATE TABLE IF NOT EXISTS a (id int);"))
                .build())
        .create();

    // Warm-up, then 20 one at a time.
    awaitReady(client, ns, List.of(create(client, ns, "warm")));
    List<Long> single = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      awaitReady(client, ns, List.of(create(client, ns, "one-" + i)));
      single.add((System.nanoTime() - t0) / 1_000_000);
    }
    System.out.println("binding to Ready (ms): " + single);

    List<String> many = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      many.add(create(client, ns, "many-" + i));
    }
    awaitReady(client, ns, many);
    long allReadyMs = (System.nanoTime() - t0) / 1_000_000;
    System.gc();
    long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1024 / 1024;
    long rssMb = ProcessStatus.self().rssKb().orElse(-1) / 1024;
    System.out.printf(
        "200 bindings Ready in %d ms; heap %d MiB, RSS %d MiB%n", allReadyMs, heapMb, rssMb);

    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    // The first minute after the ramp still holds JIT compilation and each binding's first
    // re-check; the second is the steady state: every binding re-checked once (checkInterval 60s).
    Thread.sleep(60_000);
    long cpu0 = os.getProcessCpuTime();
    Thread.sleep(60_000);
    double cpuSecondsPerMinute = (os.getProcessCpuTime() - cpu0) / 1e9;
    System.out.printf("idle, checks due: %.2f CPU seconds in one minute%n", cpuSecondsPerMinute);

    // Then with no check due (checkInterval 1h): what the operator costs when truly nothing
    // happens (informer watches, leader election off here, JOSDK's timers).
    for (DatabaseBinding b :
        client.resources(DatabaseBinding.class).inNamespace(ns).list().getItems()) {
      client
          .resources(DatabaseBinding.class)
          .inNamespace(ns)
          .withName(b.getMetadata().getName())
          .edit(
              x -> {
                x.getSpec().setCheckInterval("1h");
                return x;
              });
    }
    Thread.sleep(30_000);
    long cpu1 = os.getProcessCpuTime();
    Thread.sleep(60_000);
    double quietSecondsPerMinute = (os.getProcessCpuTime() - cpu1) / 1e9;
    System.out.printf(
        "idle, no check due: %.2f CPU seconds in one minute%n", quietSecondsPerMinute);

    Results.write(
        "operator",
        "Operator",
        List.of(
            "| measure | value | target |",
            "| --- | --- | --- |",
            "| binding created to Ready, median of 20 | "
                + Results.median(single)
                + " ms (runs: "
                + single
                + ") | <= 2 s |",
            "| 200 bindings created to all Ready | " + allReadyMs + " ms | <= 60 s |",
            "| heap used then (after a GC) | " + heapMb + " MiB | <= 256 MiB |",
            "| RSS of the JVM then (operator, its client and this harness) | " + rssMb + " MiB | |",
            String.format(
                "| CPU in one idle minute, 201 bindings each re-checked once (checkInterval 60s) | %.2f s (%.1f %% of one core, %.1f ms per check) | near zero |",
                cpuSecondsPerMinute,
                cpuSecondsPerMinute * 100 / 60,
                cpuSecondsPerMinute * 1000 / 201),
            String.format(
                "| CPU in one idle minute, no check due (checkInterval 1h) | %.2f s (%.1f %% of one core) | near zero |",
                quietSecondsPerMinute, quietSecondsPerMinute * 100 / 60),
            "",
            "The operator runs in the harness JVM against kube-api-test's kube-apiserver and etcd (separate processes, not counted) and an embedded PostgreSQL 18; every binding has one migration. \"Idle\" is measured in the second minute after the 200 became Ready (the first still holds JIT compilation); each binding is then re-checked once per checkInterval (a connection, `SELECT 1` and a fingerprint of the history table; Flyway runs only when the migrations or the history changed). Before that fingerprint, every check ran Flyway and an idle minute cost 29.6 CPU seconds."));
    operator.close();
    client.close();
    System.exit(0);
  }

  private static String create(KubernetesClient client, String ns, String name) {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(ns);
    DatabaseBindingSpec spec = new DatabaseBindingSpec();
    DatabaseRef db = new DatabaseRef();
    db.setSecretRef(new SecretKeyRef("db", "DATABASE_URL"));
    spec.setDatabase(db);
    MigrationsSpec m = new MigrationsSpec();
    m.setConfigMapRefs(List.of(new ConfigMapRef("m")));
    spec.setMigrations(m);
    b.setSpec(spec);
    client.resources(DatabaseBinding.class).inNamespace(ns).resource(b).create();
    return name;
  }

  private static void awaitReady(KubernetesClient client, String ns, List<String> names)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      long ready =
          client.resources(DatabaseBinding.class).inNamespace(ns).list().getItems().stream()
              .filter(b -> names.contains(b.getMetadata().getName()))
              .filter(
                  b ->
                      b.getStatus() != null
                          && Conditions.isTrue(b.getStatus().getConditions(), "Ready"))
              .count();
      if (ready == names.size()) {
        return;
      }
      Thread.sleep(names.size() == 1 ? 10 : 200);
    }
    throw new IllegalStateException("bindings not Ready within 5 minutes");
  }

  /** The harness's own logging: warnings only, so that the figures stand out. */
  static final class Logging {
    static void quiet() {
      io.dbbinding.logging.Logging.configure(
          io.dbbinding.config.LogLevel.WARN, io.dbbinding.config.LogFormat.TEXT);
    }
  }
}
