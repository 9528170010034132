package io.dbbinding.bench;

import io.dbbinding.binding.Conditions;
import io.dbbinding.binding.ConfigMapRef;
import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.binding.DatabaseBindingSpec;
import io.dbbinding.binding.DatabaseRef;
import io.dbbinding.binding.MigrationsSpec;
import io.dbbinding.binding.SecretKeyRef;
import io.dbbinding.config.DatabaseUrl;
import io.dbbinding.testing.CliProcess;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.ImageJvmOptions;
import io.dbbinding.testing.PostgresServer;
import io.dbbinding.testing.ProcessStatus;
import io.dbbinding.testing.TestDatabases;
import io.dbbinding.testing.TestKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator at scale, measured from outside as a user sees it: N bindings created first, each
 * with its own schema and one {@code create table} migration on one PostgreSQL, then the operator
 * started as its own process with the chart's JVM flags in a 512 MiB container's memory and leader
 * election off; the time until every binding is Ready. Then a restart with all of them Ready: the
 * time until every one is re-verified, whether any status was written or migration applied, and how
 * soon a binding created 2 s into the restart is Ready. Throughout, the most connections the
 * database server saw at once.
 */
public final class OperatorScaleBench {
  /** The chart's javaOptions (values.yaml), in the chart's default memory limit. */
  static List<String> chartJvm() throws IOException {
    List<String> flags = new ArrayList<>(ImageJvmOptions.chart());
    flags.add("-XX:MaxRAM=512m");
    return flags;
  }

  private final KubernetesClient client = TestKubernetes.client();
  private final HttpClient http = HttpClient.newHttpClient();
  private final Path work = Files.createTempDirectory("dbbinding-scale");

  private OperatorScaleBench() throws IOException {}

  /** One size's figures. */
  record Run(
      int bindings,
      long allReadyMs,
      long rssMib,
      int peakConnections,
      long reverifyMs,
      int statusesWritten,
      double appliedOnRestart,
      long lateReadyMs,
      long restartRssMib,
      int restartPeakConnections) {}

  public static void main(String[] args) throws Exception {
    OperatorBench.Logging.quiet();
    List<Integer> sizes = new ArrayList<>();
    for (String s : System.getProperty("bench.bindings", "200,1000").split(",")) {
      sizes.add(Integer.parseInt(s.strip()));
    }
    OperatorScaleBench bench = new OperatorScaleBench();
    List<Run> runs = new ArrayList<>();
    for (int n : sizes) {
      runs.add(bench.run(n));
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        "| bindings | operator start to all Ready | operator RSS then | most connections at once"
            + " | restart: all re-verified | statuses written, migrations applied | binding created"
            + " 2 s into the restart, to Ready | RSS, connections in the restart |");
    lines.add("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (Run r : runs) {
      lines.add(
          "| %d | %.1f s | %d MiB | %d | %.1f s | %d, %.0f | %.1f s | %d MiB, %d |"
              .formatted(
                  r.bindings,
                  r.allReadyMs / 1000.0,
                  r.rssMib,
                  r.peakConnections,
                  r.reverifyMs / 1000.0,
                  r.statusesWritten,
                  r.appliedOnRestart,
                  r.lateReadyMs / 1000.0,
                  r.restartRssMib,
                  r.restartPeakConnections));
    }
    lines.add("");
    lines.add(
        "Targets: 1,000 bindings Ready within 60 s; a restart re-verifies 1,000 within 30 s"
            + " writing no status and applying nothing; a binding created during it Ready within"
            + " 5 s; operator RSS at 1,000 bindings at most 256 MiB; connections at most"
            + " DATABASE_SERVER_CONCURRENCY (chart value databaseServerConcurrency, default 4) plus the blocker watches.");
    lines.add("");
    lines.add(
        "The operator is `dbbinding operator` in its own JVM with the chart's `javaOptions` and"
            + " `-XX:MaxRAM=512m` (the chart's memory limit), leader election off, against"
            + " kube-api-test's kube-apiserver and one embedded PostgreSQL 18 on the same 2 cores."
            + " Each binding has its own schema and one `create table` migration from one shared"
            + " ConfigMap. Connections are `pg_stat_activity` rows of the bindings' database,"
            + " sampled every 20 ms. Re-verified: the operator's `dbbinding_reconciles_total`"
            + " reached the number of bindings.");
    if (!System.getProperty("bench.jvm", "").isBlank()
        || Boolean.getBoolean("bench.nmt")
        || !System.getProperty("bench.jfr", "").isBlank()
        || !System.getProperty("bench.logLevel", "warn").equals("warn")) {
      // A trial of other flags, or one slowed by tracking or logging: not the chart's figures.
      System.out.println(
          "bench: -Dbench.jvm, -Dbench.nmt, -Dbench.jfr or -Dbench.logLevel set, so bench/RESULTS.md is left"
              + " as it was");
    } else {
      Results.write("operator-scale", "Operator at scale", lines);
    }
    System.exit(0);
  }

  private Run run(int n) throws Exception {
    String ns = TestKubernetes.newNamespace();
    DatabaseUrl db = TestDatabases.newDatabase();
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withStringData(Map.of("DATABASE_URL", PostgresServer.rawUrl(db)))
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
                .withData(Map.of("V1__t.sql", "CREATE TABLE t (id bigint PRIMARY KEY);"))
                .build())
        .create();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add(create(ns, "b" + i));
    }
    System.out.println(n + " bindings created; the operators' logs go to " + work);

    ConnectionSampler connections = new ConnectionSampler(db);
    Operator first = Operator.start(work, ns, "first-" + n);
    awaitReady(ns, names, limit(n));
    long allReadyMs = first.elapsedMs();
    long rss = first.rssMib();
    int peak = connections.takePeak();
    System.out.printf(
        "reconciles by then: %.0f%n", first.metric(http, "dbbinding_reconciles_total"));
    System.out.printf(
        "%d bindings: all Ready %d ms after operator start, RSS %d MiB, %d connections at most%n",
        n, allReadyMs, rss, peak);

    first.stop();
    // Read once the first operator stopped: a binding's second reconcile (its Applied condition
    // turned UpToDate) may still be written after all are Ready.
    Map<String, DatabaseBinding> before = bindings(ns);
    Operator second = Operator.start(work, ns, "second-" + n);
    Thread.sleep(2000);
    long lateCreated = System.nanoTime();
    names.add(create(ns, "late"));
    awaitReady(ns, List.of("late"), limit(n));
    long lateReadyMs = (System.nanoTime() - lateCreated) / 1_000_000;
    long reverifyMs = second.awaitReconciles(n + 1, http, limit(n));
    Map<String, DatabaseBinding> after = bindings(ns);
    int written = 0;
    for (DatabaseBinding was : before.values()) {
      DatabaseBinding now = after.get(was.getMetadata().getName());
      if (now == null
          || !was.getMetadata()
              .getResourceVersion()
              .equals(now.getMetadata().getResourceVersion())) {
        written++;
        if (written <= 3) {
          // What a written status changed: the restart's target is that none is.
          System.out.println("written in the restart: " + was.getMetadata().getName());
          System.out.println("  before: " + json(was.getStatus()));
          System.out.println("  after:  " + (now == null ? "gone" : json(now.getStatus())));
        }
      }
    }
    double applied = second.metric(http, "dbbinding_migrations_applied_total");
    System.out.printf(
        "reconciles in the restart: %.0f%n", second.metric(http, "dbbinding_reconciles_total"));
    long restartRss = second.rssMib();
    int restartPeak = connections.takePeak();
    System.out.printf(
        "restart: all re-verified in %d ms, %d statuses written, %.0f applied; late binding Ready"
            + " in %d ms; RSS %d MiB, %d connections at most%n",
        reverifyMs, written, applied, lateReadyMs, restartRss, restartPeak);
    second.stop();
    connections.close();
    client.namespaces().withName(ns).delete();
    return new Run(
        n,
        allReadyMs,
        rss,
        peak,
        reverifyMs,
        written,
        applied,
        lateReadyMs,
        restartRss,
        restartPeak);
  }

  /** How long a phase may take with {@code n} bindings: 10 minutes, more from 2,000 on. */
  private static Duration limit(int n) {
    return Duration.ofMinutes(Math.max(10, n / 200));
  }

  private String create(String ns, String name) {
    DatabaseBinding b = new DatabaseBinding();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(ns);
    DatabaseBindingSpec spec = new DatabaseBindingSpec();
    DatabaseRef ref = new DatabaseRef();
    ref.setSecretRef(new SecretKeyRef("db", "DATABASE_URL"));
    spec.setDatabase(ref);
    MigrationsSpec m = new MigrationsSpec();
    m.setConfigMapRefs(List.of(new ConfigMapRef("m")));
    m.setSchema("s_" + name.replace('-', '_'));
    spec.setMigrations(m);
    b.setSpec(spec);
    client.resources(DatabaseBinding.class).inNamespace(ns).resource(b).create();
    return name;
  }

  /** The namespace's bindings by name, from one list. */
  private Map<String, DatabaseBinding> bindings(String ns) {
    Map<String, DatabaseBinding> out = new HashMap<>();
    for (DatabaseBinding b :
        client.resources(DatabaseBinding.class).inNamespace(ns).list().getItems()) {
      out.put(b.getMetadata().getName(), b);
    }
    return out;
  }

  private String json(Object o) {
    return client.getKubernetesSerialization().asJson(o);
  }

  private void awaitReady(String ns, List<String> names, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    java.util.Set<String> wanted = new java.util.HashSet<>(names);
    while (System.nanoTime() < deadline) {
      long ready =
          client.resources(DatabaseBinding.class).inNamespace(ns).list().getItems().stream()
              .filter(b -> wanted.contains(b.getMetadata().getName()))
              .filter(
                  b ->
                      b.getStatus() != null
                          && Conditions.isTrue(b.getStatus().getConditions(), "Ready"))
              .count();
      if (ready == wanted.size()) {
        return;
      }
      // Listing a thousand bindings costs the API server and this JVM: not more than once a second,
      // and for ten thousand once every 5 s.
      Thread.sleep(names.size() == 1 ? 20 : Math.max(1000, names.size() / 2));
    }
    throw new IllegalStateException("bindings not Ready within " + limit);
  }

  /** {@code dbbinding operator} as its own process, as the chart runs it. */
  private record Operator(Process process, int port, long startedNanos) {
    static Operator start(Path work, String ns, String name) throws IOException {
      int port = FreePorts.any();
      List<String> jvm = chartJvm();
      // Flags to try beside the chart's (-Dbench.jvm="-XX:A -XX:B"), before they go into the chart.
      for (String flag : System.getProperty("bench.jvm", "").trim().split("\\s+")) {
        if (!flag.isEmpty()) {
          jvm.add(flag);
        }
      }
      String jfr = System.getProperty("bench.jfr", "");
      if (!jfr.isBlank()) {
        jvm.add("-XX:StartFlightRecording=filename=" + jfr + "/" + name + ".jfr,settings=profile");
      }
      ProcessBuilder pb =
          CliProcess.productionBuilder(work.resolve(name + ".log"), jvm, "operator");
      Map<String, String> env = pb.environment();
      // As in the image: its ENV (MALLOC_ARENA_MAX=2 bounds glibc's arenas, hence the RSS).
      env.putAll(SidecarProcesses.dockerfileEnv());
      env.put("KUBECONFIG", TestKubernetes.kubeconfigFile(work).toString());
      env.put("POD_NAMESPACE", ns);
      env.put("POD_NAME", name);
      env.put("WATCH_NAMESPACES", ns);
      env.put("LEADER_ELECTION", "false");
      // -Dbench.logLevel=info writes each reconcile to <work>/<name>.log, for a timeline.
      env.put("LOG_LEVEL", System.getProperty("bench.logLevel", "warn"));
      env.put("PORT", Integer.toString(port));
      long t0 = System.nanoTime();
      return new Operator(pb.start(), port, t0);
    }

    long elapsedMs() {
      return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    long rssMib() throws IOException {
      return ProcessStatus.of(process).rssKb().orElse(-1) / 1024;
    }

    /** The sum of a counter's series on the operator's /metrics; 0 before it is registered. */
    double metric(HttpClient http, String name) throws IOException, InterruptedException {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      double sum = 0;
      for (String line : r.body().split("\n")) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    }

    /** Waits until the operator has reconciled {@code count} times; the time since its start. */
    long awaitReconciles(int count, HttpClient http, Duration limit) throws Exception {
      long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline) {
        try {
          if (metric(http, "dbbinding_reconciles_total") >= count) {
            return elapsedMs();
          }
        } catch (IOException notUpYet) {
          // the endpoint is not up yet
        }
        // A scrape grows with the bindings (their gauges): every 50 ms up to 1,000, then less
        // often.
        Thread.sleep(Math.max(50, count / 20));
      }
      throw new IllegalStateException("not re-verified within " + limit);
    }

    void stop() throws InterruptedException, IOException {
      if (Boolean.getBoolean("bench.nmt")) {
        // Where the memory is, when run with -Dbench.jvm=-XX:NativeMemoryTracking=summary.
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                "VM.native_memory",
                "summary")
            .inheritIO()
            .start()
            .waitFor();
      }
      String jfr = System.getProperty("bench.jfr", "");
      if (!jfr.isBlank()) {
        // The operator's shutdown may end in a halt, which writes no recording: dump it first.
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()),
                "JFR.dump",
                "name=1")
            .inheritIO()
            .start()
            .waitFor();
      }
      process.destroy();
      process.waitFor();
    }
  }

  /** The most client connections to one database seen at once, sampled every 20 ms. */
  private static final class ConnectionSampler {
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ConnectionSampler(DatabaseUrl db) {
      thread =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try (Connection c = PostgresServer.connect(TestDatabases.server().adminUrl());
                        PreparedStatement q =
                            c.prepareStatement(
                                "SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
                      q.setString(1, db.database());
                      while (running.get()) {
                        try (ResultSet rs = q.executeQuery()) {
                          rs.next();
                          peak.accumulateAndGet(rs.getInt(1), Math::max);
                        }
                        Thread.sleep(20);
                      }
                    } catch (SQLException | InterruptedException e) {
                      System.err.println("connection sampler stopped: " + e);
                    }
                  });
    }

    int takePeak() {
      return peak.getAndSet(0);
    }

    void close() throws InterruptedException {
      running.set(false);
      thread.join();
    }
  }
}
