package io.dbbinding.bench;

import io.dbbinding.cli.OperatorOptions;
import io.dbbinding.cli.OperatorRuntime;
import io.dbbinding.config.OperatorSettings;
import io.dbbinding.config.SettingSource;
import io.dbbinding.config.Settings;
import io.dbbinding.config.WebhookSettings;
import io.dbbinding.readiness.ReadinessGate;
import io.dbbinding.testing.FreePorts;
import io.dbbinding.testing.TestKubernetes;
import io.dbbinding.webhook.GateWebhook;
import io.dbbinding.webhook.GateWebhookTest;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the gate-injection webhook adds to pod creation: 100 labelled pods created one at a time in
 * a namespace that opted in (the API server calls the webhook over TLS) and, interleaved, 100 in
 * one that did not (no call), against the same kube-apiserver. The latency is the client's, from
 * the create request to the API server's answer.
 */
public final class WebhookBench {
  private static final int PODS = 100;

  public static void main(String[] args) throws Exception {
    OperatorBench.Logging.quiet();
    KubernetesClient client = TestKubernetes.client();
    String operatorNs = TestKubernetes.newNamespace();
    String optedIn = TestKubernetes.newNamespace();
    String plain = TestKubernetes.newNamespace();
    client
        .namespaces()
        .withName(optedIn)
        .edit(
            n -> {
              n.getMetadata()
                  .getLabels()
                  .put(GateWebhook.NAMESPACE_LABEL, GateWebhook.NAMESPACE_LABEL_VALUE);
              return n;
            });
    int port = FreePorts.any();
    String configuration = "dbbinding-bench";
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .resource(
            // The chart's configuration, as the tests register it.
            GateWebhookTest.webhookConfiguration(configuration, port, List.of(optedIn, plain)))
        .createOr(r -> r.update());
    OperatorRuntime operator =
        OperatorRuntime.start(
            OperatorOptions.of(
                    client,
                    Settings.load(SettingSource.of(Map.of())),
                    new OperatorSettings(
                        Set.of(), false, "l", operatorNs, "bench", Duration.ofSeconds(5)))
                .withPort(0)
                .withWebhook(
                    new WebhookSettings(
                        true,
                        port,
                        "dbbinding-webhook",
                        "dbbinding-webhook-tls",
                        configuration,
                        List.of("127.0.0.1"),
                        Optional.empty()))
                .withExitOnLostLease(false));

    // Until the caBundle is in place and the API server's webhook client has it, then warm-up.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int w = 0;
    while (!gated(create(client, optedIn, "warm-" + w++))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the webhook never added the gate");
      }
      Thread.sleep(200);
    }
    for (int i = 0; i < 20; i++) {
      create(client, optedIn, "warm-a-" + i);
      create(client, plain, "warm-b-" + i);
    }

    List<Long> with = new ArrayList<>();
    List<Long> without = new ArrayList<>();
    int ungated = 0;
    for (int i = 0; i < PODS; i++) {
      long t0 = System.nanoTime();
      Pod p = create(client, optedIn, "pod-" + i);
      with.add(System.nanoTime() - t0);
      if (!gated(p)) {
        ungated++;
      }
      t0 = System.nanoTime();
      create(client, plain, "pod-" + i);
      without.add(System.nanoTime() - t0);
    }
    String load = Files.readString(Path.of("/proc/loadavg")).strip();
    var handler = operator.metrics().get("dbbinding.webhook.duration").timer();
    String handlerLine =
        String.format(
            "The webhook's own time per review (its handler, %d reviews): mean %.3f ms, max %.3f ms.",
            handler.count(),
            handler.mean(TimeUnit.MILLISECONDS),
            handler.max(TimeUnit.MILLISECONDS));
    String withLine = line("webhook called (opted-in namespace)", with);
    String withoutLine = line("webhook absent (namespace not opted in)", without);
    double added = (median(with) - median(without)) / 1e6;
    System.out.println(handlerLine);
    System.out.println("load average: " + load);
    System.out.println(withLine);
    System.out.println(withoutLine);
    System.out.printf(
        "added by the webhook, median: %.2f ms; pods without the gate: %d%n", added, ungated);
    Results.write(
        "webhook",
        "Gate-injection webhook: pod creation latency",
        List.of(
            "| pods created one at a time ("
                + PODS
                + " each, interleaved) | median | p90 | worst |",
            "| --- | --- | --- | --- |",
            withLine,
            withoutLine,
            "",
            String.format(
                "Added by the webhook (difference of the medians): %.2f ms. Pods of the opted-in"
                    + " namespace created without the gate: %d of %d.",
                added, ungated, PODS),
            "",
            handlerLine,
            "",
            "Load average of the machine (other work shared its 2 cores): " + load + ".",
            "",
            "The operator runs in the harness JVM and kube-api-test's kube-apiserver and etcd in"
                + " their own processes, all on loopback; the API server calls the webhook by URL"
                + " over TLS 1.3 (a Service in a cluster adds the pod network's round trip)."
                + " Latency is the client's, from the create request to the API server's answer."));
    operator.close();
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(configuration)
        .delete();
    client.close();
    System.exit(0);
  }

  private static Pod create(KubernetesClient client, String ns, String name) {
    return client
        .pods()
        .inNamespace(ns)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels(ReadinessGate.BINDING_LABEL, "orders")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("example/app:1")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  private static boolean gated(Pod p) {
    return ReadinessGate.declaresGate(p);
  }

  private static double median(List<Long> nanos) {
    return nanos.stream().sorted().toList().get(nanos.size() / 2);
  }

  private static String line(String what, List<Long> nanos) {
    List<Long> sorted = nanos.stream().sorted().toList();
    return String.format(
        "| %s | %.2f ms | %.2f ms | %.2f ms |",
        what,
        sorted.get(sorted.size() / 2) / 1e6,
        sorted.get(sorted.size() * 9 / 10) / 1e6,
        sorted.getLast() / 1e6);
  }
}
