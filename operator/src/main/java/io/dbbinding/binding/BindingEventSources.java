package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The informers of the Secrets and ConfigMaps bindings name, with the indexes that map a changed
 * Secret or ConfigMap back to the bindings that use it: a change to either triggers their
 * reconcile. And the informer of the pods labelled {@code dbbinding.io/binding}, whose changes
 * trigger only the bindings waiting for the rollout (see {@link #waitingFor}).
 *
 * @param watchLabelSelector the selector they watch with; null for all
 */
record BindingEventSources(
    InformerEventSource<Secret, DatabaseBinding> secrets,
    InformerEventSource<ConfigMap, DatabaseBinding> configMaps,
    InformerEventSource<Pod, DatabaseBinding> pods,
    String watchLabelSelector) {
  private static final String SECRET_INDEX = "secret";
  private static final String CONFIGMAP_INDEX = "configmap";

  /**
   * Secret types a binding never points at, left out of the informer's cache: Helm keeps every
   * release revision in a helm.sh/release.v1 Secret (often hundreds of KiB each) and older clusters
   * hold a token Secret per service account; cached, they would take most of the operator's heap.
   */
  static final FieldSelector UNCACHED_SECRET_TYPES =
      new FieldSelector(
          new FieldSelector.Field("type", "helm.sh/release.v1", true),
          new FieldSelector.Field("type", "kubernetes.io/service-account-token", true));

  static BindingEventSources create(
      EventSourceContext<DatabaseBinding> context, String watchLabelSelector) {
    context.getPrimaryCache().addIndexer(SECRET_INDEX, b -> List.of(secretKey(b)));
    context.getPrimaryCache().addIndexer(CONFIGMAP_INDEX, BindingEventSources::configMapKeys);
    InformerEventSource<Secret, DatabaseBinding> secrets =
        new InformerEventSource<>(
            InformerCaches.informer(Secret.class, DatabaseBinding.class)
                .withName("secrets")
                .withFieldSelector(UNCACHED_SECRET_TYPES)
                .withLabelSelector(watchLabelSelector)
                .withSecondaryToPrimaryMapper(
                    s ->
                        primaries(
                            context,
                            SECRET_INDEX,
                            key(s.getMetadata().getNamespace(), s.getMetadata().getName())))
                .build(),
            context);
    InformerEventSource<ConfigMap, DatabaseBinding> configMaps =
        new InformerEventSource<>(
            InformerCaches.informer(ConfigMap.class, DatabaseBinding.class)
                .withName("configmaps")
                .withLabelSelector(watchLabelSelector)
                .withSecondaryToPrimaryMapper(
                    cm ->
                        primaries(
                            context,
                            CONFIGMAP_INDEX,
                            key(cm.getMetadata().getNamespace(), cm.getMetadata().getName())))
                .build(),
            context);
    InformerEventSource<Pod, DatabaseBinding> pods =
        new InformerEventSource<>(
            InformerCaches.informer(Pod.class, DatabaseBinding.class)
                .withName("gatedpods")
                .withLabelSelector(GatedPods.BINDING_LABEL)
                .withSecondaryToPrimaryMapper(pod -> waitingFor(context, pod))
                .build(),
            context);
    return new BindingEventSources(secrets, configMaps, pods, watchLabelSelector);
  }

  /**
   * The pod's binding, only while it waits for the rollout (as the primary cache has it): the pod
   * that goes away may be the last one on the old code, so its binding is reconciled at once.
   * Ordinary pod churn (scaling, restarts) reconciles no binding.
   */
  static Set<ResourceID> waitingFor(EventSourceContext<DatabaseBinding> context, Pod pod) {
    String name =
        pod.getMetadata().getLabels() == null
            ? null
            : pod.getMetadata().getLabels().get(GatedPods.BINDING_LABEL);
    if (name == null || name.isEmpty()) {
      return Set.of();
    }
    ResourceID id = new ResourceID(name, pod.getMetadata().getNamespace());
    return context
        .getPrimaryCache()
        .get(id)
        .filter(b -> BindingEvents.waitingForRollout(b.getStatus()))
        .map(b -> Set.of(id))
        .orElse(Set.of());
  }

  /** What the binding's pods declare: from the pod informer, ReplicaSets listed on demand. */
  RolloutView rollout(io.fabric8.kubernetes.client.KubernetesClient client) {
    return new KubernetesRolloutView(pods, client);
  }

  /** Reads from these informers' caches. */
  ResourceLookup lookup() {
    return new InformerLookup(secrets, configMaps, watchLabelSelector);
  }

  List<EventSource<?, DatabaseBinding>> all() {
    return List.of(secrets, configMaps, pods);
  }

  private static Set<ResourceID> primaries(
      EventSourceContext<DatabaseBinding> context, String index, String key) {
    return context.getPrimaryCache().byIndex(index, key).stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static String secretKey(DatabaseBinding b) {
    DatabaseRef db = b.getSpec() == null ? null : b.getSpec().getDatabase();
    String name = db == null || db.getSecretRef() == null ? "" : db.getSecretRef().getName();
    return key(b.getMetadata().getNamespace(), Objects.requireNonNullElse(name, ""));
  }

  private static List<String> configMapKeys(DatabaseBinding b) {
    MigrationsSpec m = b.getSpec() == null ? null : b.getSpec().getMigrations();
    if (m == null || m.getConfigMapRefs() == null) {
      return List.of();
    }
    return m.getConfigMapRefs().stream()
        .map(r -> key(b.getMetadata().getNamespace(), r.getName()))
        .toList();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
