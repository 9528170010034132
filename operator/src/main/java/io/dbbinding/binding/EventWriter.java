package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Writes one core/v1 Event about an object, as the operator reports it: on a binding ({@link
 * BindingEvents}) and on a gated pod (the readiness gate's).
 */
public final class EventWriter {
  /** The Events' source and reporting component. */
  public static final String COMPONENT = "dbbinding-operator";

  /** The API server keeps an Event message at most this long. */
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  /**
   * @param instance the reporting instance: the replica's identity, or the component
   */
  public EventWriter(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  /**
   * Writes the Event about {@code object}; a refusal is the client's {@link
   * KubernetesClientException}, for the caller to log in its own words (an Event is a courtesy,
   * never a reason to fail).
   */
  public void write(HasMetadata object, String type, String reason, String message) {
    ObjectReference about = referenceTo(object);
    String now = Instant.now(clock).toString();
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    client
        .v1()
        .events()
        .inNamespace(about.getNamespace())
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName(about.getName() + "." + UUID.randomUUID().toString().substring(0, 13))
                .withNamespace(about.getNamespace())
                .endMetadata()
                .withInvolvedObject(about)
                .withType(type)
                .withReason(reason)
                .withMessage(text)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(COMPONENT)
                .endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .build())
        .create();
  }

  /** The object as an Event names it: its type from its class, its identity from its metadata. */
  private static ObjectReference referenceTo(HasMetadata object) {
    ObjectMeta meta = object.getMetadata();
    return new ObjectReferenceBuilder()
        .withApiVersion(HasMetadata.getApiVersion(object.getClass()))
        .withKind(HasMetadata.getKind(object.getClass()))
        .withName(meta.getName())
        .withNamespace(meta.getNamespace())
        .withUid(meta.getUid())
        .withResourceVersion(meta.getResourceVersion())
        .build();
  }
}
