package io.dbbinding.readiness;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events on a pod, for {@code kubectl describe pod}: the gate let it go because its binding was
 * deleted, or because it waited longer than the binding's {@code failOpenAfter}.
 */
final class PodEvents {
  static final String COMPONENT = "dbbinding-operator";
  private static final Logger log = LoggerFactory.getLogger(PodEvents.class);

  private final KubernetesClient client;
  private final Clock clock;

  PodEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void emit(Pod pod, String type, String reason, String message) {
    String now = Instant.now(clock).toString();
    String ns = pod.getMetadata().getNamespace();
    try {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      pod.getMetadata().getName()
                          + "."
                          + UUID.randomUUID().toString().substring(0, 13))
                  .withNamespace(ns)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion("v1")
                          .withKind("Pod")
                          .withName(pod.getMetadata().getName())
                          .withNamespace(ns)
                          .withUid(pod.getMetadata().getUid())
                          .withResourceVersion(pod.getMetadata().getResourceVersion())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .withReportingInstance(COMPONENT)
                  .build())
          .create();
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
