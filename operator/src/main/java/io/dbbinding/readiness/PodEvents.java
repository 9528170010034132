package io.dbbinding.readiness;

import io.dbbinding.binding.EventWriter;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events on a pod, for {@code kubectl describe pod}: the gate let it go because its binding was
 * deleted, or because it waited longer than the binding's {@code failOpenAfter}.
 */
final class PodEvents {
  private static final Logger log = LoggerFactory.getLogger(PodEvents.class);

  private final EventWriter events;

  PodEvents(KubernetesClient client, Clock clock) {
    this.events = new EventWriter(client, clock, EventWriter.COMPONENT);
  }

  void emit(Pod pod, String type, String reason, String message) {
    String ns = pod.getMetadata().getNamespace();
    try {
      events.write(pod, type, reason, message);
    } catch (KubernetesClientException e) {
      // An Event is a courtesy: the condition on the pod already says the same.
      log.atWarn()
          .setMessage("readiness_gate.event_failed")
          .addKeyValue("pod", ns + "/" + pod.getMetadata().getName())
          .addKeyValue("reason", reason)
          .addKeyValue("code", e.getCode())
          .log();
    }
  }
}
