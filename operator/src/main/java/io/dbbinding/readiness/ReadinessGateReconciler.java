package io.dbbinding.readiness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.binding.InformerCaches;
import io.dbbinding.readiness.GatePolicy.Decision;
import io.dbbinding.readiness.ReadinessGate.Verdict;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
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
 * of the cluster), and any change of a binding's status re-evaluates that binding's pods. With a
 * binding label selector it caches only the bindings that selector matches, and leaves a pod whose
 * binding exists but is not among them to the release of the operator that reconciles it.
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
  private final GateMetrics updates;
  private final ObjectMapper json = new ObjectMapper();

  /** Null: every binding of the watched namespaces is this operator's. */
  private final String bindingLabelSelector;

  private volatile InformerEventSource<DatabaseBinding, Pod> bindings;

  /**
   * @param bindingLabelSelector the bindings whose pods this operator gates; empty for all
   */
  public ReadinessGateReconciler(Clock clock, MeterRegistry metrics, String bindingLabelSelector) {
    this.clock = clock;
    this.updates = new GateMetrics(metrics);
    this.bindingLabelSelector = bindingLabelSelector.isBlank() ? null : bindingLabelSelector;
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
            InformerCaches.informer(DatabaseBinding.class, Pod.class)
                .withName("bindings")
                .withLabelSelector(bindingLabelSelector)
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
    ResourceID id =
        new ResourceID(ReadinessGate.bindingName(pod).get(), pod.getMetadata().getNamespace());
    Optional<DatabaseBinding> binding = bindings.get(id);
    if (binding.isEmpty() && anotherOperatorsBinding(context, id)) {
      return UpdateControl.noUpdate();
    }
    Instant now = Instant.now(clock);
    Decision decision = GatePolicy.decide(pod, binding, now);
    if (!ReadinessGate.shows(pod, decision.verdict())) {
      patch(context, pod, decision.verdict(), now);
    }
    // Every reconcile replaces the timer of the last one, so a pending fail-open deadline is asked
    // for again each time, whether or not this reconcile patched.
    UpdateControl<Pod> control = UpdateControl.noUpdate();
    return decision.recheckAfter().map(control::rescheduleAfter).orElse(control);
  }

  /**
   * Whether a binding missing from this operator's cache exists all the same: then another release
   * of the operator, whose selector matches it, sets the gate, and this one must neither write
   * {@code BindingNotFound} nor release the pod as if the binding were deleted (a binding
   * relabelled away leaves this cache as a deletion would). Only with a selector: without one the
   * cache holds every binding of the watched namespaces. A binding relabelled to this selector and
   * not cached yet is left alone too; its arrival in the cache reconciles the pod again.
   */
  private boolean anotherOperatorsBinding(Context<Pod> context, ResourceID id) {
    return bindingLabelSelector != null
        && context
                .getClient()
                .resources(DatabaseBinding.class)
                .inNamespace(id.getNamespace().orElseThrow())
                .withName(id.getName())
                .get()
            != null;
  }

  /**
   * A strategic merge patch of the status subresource holding only the gate's condition: the API
   * server merges pod conditions by type, so the kubelet's own (Ready, ContainersReady, ...) and
   * any other controller's stay as they are, and no resourceVersion is needed.
   */
  private void patch(Context<Pod> context, Pod pod, Verdict verdict, Instant now) {
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", ReadinessGate.CONDITION_TYPE);
    condition.put("status", verdict.ready() ? "True" : "False");
    condition.put("reason", verdict.reason());
    condition.put("message", verdict.message());
    condition.put("lastTransitionTime", GatePolicy.transitionTime(pod, verdict, now));
    String body;
    try {
      body = json.writeValueAsString(Map.of("status", Map.of("conditions", List.of(condition))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    Pod patched;
    try {
      patched =
          context
              .getClient()
              .pods()
              .inNamespace(pod.getMetadata().getNamespace())
              .withName(pod.getMetadata().getName())
              .subresource("status")
              .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), body);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return; // the pod is gone; nothing to gate
      }
      throw e;
    }
    // The next reconcile may come before the watch brings this change back: let it see the
    // patched pod, so that it neither patches nor emits its Event a second time.
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(pod), patched, pod);
    updates.increment(verdict.reason());
    log.atInfo()
        .setMessage("readiness_gate.updated")
        .addKeyValue("pod", pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName())
        .addKeyValue("ready", verdict.ready())
        .addKeyValue("reason", verdict.reason())
        .log();
    switch (verdict.reason()) {
      case ReadinessGate.BINDING_DELETED ->
          new PodEvents(context.getClient(), clock)
              .emit(pod, "Normal", verdict.reason(), verdict.message());
      case ReadinessGate.FAILED_OPEN ->
          new PodEvents(context.getClient(), clock)
              .emit(pod, "Warning", verdict.reason(), verdict.message());
      default -> {}
    }
  }
}
