package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The operator's {@link RolloutView}: the pods from the binding controller's pod informer (pods
 * labelled {@code dbbinding.io/binding}), the ReplicaSets listed on demand, which happens only
 * while a contract step is pending, so no ReplicaSet is ever cached.
 */
final class KubernetesRolloutView implements RolloutView {
  private final InformerEventSource<Pod, DatabaseBinding> pods;
  private final KubernetesClient client;

  KubernetesRolloutView(InformerEventSource<Pod, DatabaseBinding> pods, KubernetesClient client) {
    this.pods = pods;
    this.client = client;
  }

  @Override
  public List<DeclaredVersion> declared(DatabaseBinding binding) {
    String ns = binding.getMetadata().getNamespace();
    String name = binding.getMetadata().getName();
    Stream<DeclaredVersion> fromPods =
        pods.list(ns, p -> name.equals(label(p.getMetadata().getLabels())))
            .map(DeclaredVersion::ofPod)
            .flatMap(Optional::stream);
    List<ReplicaSet> replicaSets =
        client
            .apps()
            .replicaSets()
            .inNamespace(ns)
            .withLabel(GatedPods.BINDING_LABEL, name)
            .list()
            .getItems();
    Stream<DeclaredVersion> fromReplicaSets =
        replicaSets.stream().map(DeclaredVersion::ofReplicaSet).flatMap(Optional::stream);
    return Stream.concat(fromPods, fromReplicaSets).toList();
  }

  private static String label(java.util.Map<String, String> labels) {
    return labels == null ? null : labels.get(GatedPods.BINDING_LABEL);
  }
}
