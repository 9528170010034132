package io.dbbinding.readiness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.readiness.ReadinessGate.Verdict;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code dbbinding.io/ready} condition of labelled pods in step with their binding. It
 * watches only pods that carry the {@code dbbinding.io/binding} label (a small cache, not every pod
 * of the cluster), and any change of a binding's status re-evaluates that binding's pods.
 */
@ControllerConfiguration(
    name = ReadinessGateReconciler.NAME,
    generationAwareEventProcessing = false,
    informer = @Informer(labelSelector = ReadinessGate.BINDING_LABEL))
public final class ReadinessGateReconciler implements Reconciler<Pod> {
  public static final String NAME = "readinessgate";
  private static final Logger log = LoggerFactory.getLogger(ReadinessGateReconciler.class);
  private static final String BINDING_INDEX = "binding";

  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private volatile InformerEventSource<DatabaseBinding, Pod> bindings;

  public ReadinessGateReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, Pod>> prepareEventSources(EventSourceContext<Pod> context) {
    context
        .getPrimaryCache()
        .addIndexer(
            BINDING_INDEX,
            pod ->
                ReadinessGate.bindingName(pod)
                    .map(name -> List.of(pod.getMetadata().getNamespace() + "/" + name))
                    .orElse(List.of()));
    bindings =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(DatabaseBinding.class, Pod.class)
                .withName("bindings")
                .withSecondaryToPrimaryMapper(
                    b ->
                        context
                            .getPrimaryCache()
                            .byIndex(
                                BINDING_INDEX,
                                b.getMetadata().getNamespace() + "/" + b.getMetadata().getName())
                            .stream()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper(
                    (Pod pod) ->
                        ReadinessGate.bindingName(pod)
                            .map(n -> Set.of(new ResourceID(n, pod.getMetadata().getNamespace())))
                            .orElse(Set.of()))
                .build(),
            context);
    return List.of(bindings);
  }

  @Override
  public UpdateControl<Pod> reconcile(Pod pod, Context<Pod> context) {
    if (!ReadinessGate.declaresGate(pod) || ReadinessGate.bindingName(pod).isEmpty()) {
      return UpdateControl.noUpdate();
    }
    String name = ReadinessGate.bindingName(pod).get();
    Optional<DatabaseBinding> binding =
        bindings.get(new ResourceID(name, pod.getMetadata().getNamespace()));
    Verdict verdict = ReadinessGate.evaluate(pod, binding);
    if (ReadinessGate.shows(pod, verdict)) {
      return UpdateControl.noUpdate();
    }
    patch(context, pod, verdict);
    return UpdateControl.noUpdate();
  }

  private void patch(Context<Pod> context, Pod pod, Verdict verdict) {
    String status = verdict.ready() ? "True" : "False";
    String since =
        ReadinessGate.current(pod)
            .filter(c -> status.equals(c.getStatus()))
            .map(c -> c.getLastTransitionTime())
            .orElse(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", ReadinessGate.CONDITION_TYPE);
    condition.put("status", status);
    condition.put("reason", verdict.reason());
    condition.put("message", verdict.message());
    condition.put("lastTransitionTime", since);
    String body;
    try {
      // A strategic merge patch merges conditions by type: the kubelet's own stay untouched.
      body = json.writeValueAsString(Map.of("status", Map.of("conditions", List.of(condition))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      context
          .getClient()
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .subresource("status")
          .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), body);
      log.atInfo()
          .setMessage("readiness_gate.updated")
          .addKeyValue("pod", pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName())
          .addKeyValue("ready", verdict.ready())
          .addKeyValue("reason", verdict.reason())
          .log();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return; // the pod is gone; nothing to gate
      }
      throw e;
    }
  }
}
