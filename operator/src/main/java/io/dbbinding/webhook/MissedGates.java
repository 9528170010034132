package io.dbbinding.webhook;

import io.dbbinding.readiness.ReadinessGate;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the pods the webhook missed: labelled pods without the gate in namespaces that asked for
 * it. With {@code failurePolicy: Ignore} the API server creates pods without the gate while no
 * replica answers (an outage, an upgrade of the only replica); such a pod takes traffic before its
 * schema is there. Each one is logged and counted once in {@code dbbinding_gates_missed_total} by
 * the replica that leads; recreating it (a rollout restart) gives it the gate.
 */
final class MissedGates {
  private static final Logger log = LoggerFactory.getLogger(MissedGates.class);
  private static final long PAGE = 500;

  private final KubernetesClient client;
  private final Set<String> watchNamespaces;
  private final Counter missed;

  /** UIDs of the pods counted, pruned to those still there at each scan. */
  private final Set<String> counted = new HashSet<>();

  MissedGates(KubernetesClient client, Set<String> watchNamespaces, MeterRegistry metrics) {
    this.client = client;
    this.watchNamespaces = Set.copyOf(watchNamespaces);
    this.missed =
        Counter.builder("dbbinding.gates.missed")
            .description(
                "Labelled pods created without the dbbinding.io/ready gate in namespaces that"
                    + " asked for it (the webhook was not reachable)")
            .register(metrics);
  }

  /** Scans once; returns the number of pods newly counted. Call it on the leader only. */
  synchronized int scan() {
    Set<String> seen = new HashSet<>();
    int found = 0;
    for (String ns : optedInNamespaces()) {
      for (Pod pod : labelledPods(ns)) {
        if (pod.getMetadata().getDeletionTimestamp() != null
            || ReadinessGate.declaresGate(pod)
            || ReadinessGate.bindingName(pod).filter(b -> !b.isEmpty()).isEmpty()) {
          continue;
        }
        String uid = pod.getMetadata().getUid();
        seen.add(uid);
        if (counted.add(uid)) {
          found++;
          missed.increment();
          log.atWarn()
              .setMessage("webhook.gate_missed")
              .addKeyValue("pod", ns + "/" + pod.getMetadata().getName())
              .addKeyValue("binding", ReadinessGate.bindingName(pod).orElse(""))
              .addKeyValue("created", pod.getMetadata().getCreationTimestamp())
              .addKeyValue(
                  "hint",
                  "created without the "
                      + ReadinessGate.CONDITION_TYPE
                      + " readiness gate while the webhook was unreachable; recreate it (kubectl"
                      + " rollout restart) to gate it on its schema")
              .log();
        }
      }
    }
    counted.retainAll(seen);
    return found;
  }

  private List<String> optedInNamespaces() {
    if (watchNamespaces.isEmpty()) {
      return client
          .namespaces()
          .withLabel(GateWebhook.NAMESPACE_LABEL, GateWebhook.NAMESPACE_LABEL_VALUE)
          .list()
          .getItems()
          .stream()
          .map(n -> n.getMetadata().getName())
          .toList();
    }
    // With a list of namespaces the operator may read only those (RBAC resourceNames).
    List<String> opted = new ArrayList<>();
    for (String ns : watchNamespaces) {
      Namespace n = client.namespaces().withName(ns).get();
      Map<String, String> labels = n == null ? null : n.getMetadata().getLabels();
      if (labels != null
          && GateWebhook.NAMESPACE_LABEL_VALUE.equals(labels.get(GateWebhook.NAMESPACE_LABEL))) {
        opted.add(ns);
      }
    }
    return opted;
  }

  private List<Pod> labelledPods(String ns) {
    List<Pod> pods = new ArrayList<>();
    String next = null;
    do {
      PodList page =
          client
              .pods()
              .inNamespace(ns)
              .withLabel(ReadinessGate.BINDING_LABEL)
              .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
      pods.addAll(page.getItems());
      next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    return pods;
  }
}
