package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pods of a binding that run, or are about to run, code declaring a schema version: one live pod,
 * or the pods a ReplicaSet still wants.
 *
 * @param workload what a person acts on: {@code Deployment app}, {@code StatefulSet db}, {@code pod
 *     debug}
 * @param version the {@code dbbinding.io/required-schema-version} declared, normalized
 * @param pods how many pods
 */
public record DeclaredVersion(String workload, String version, int pods) {

  /**
   * A pod that still runs: any phase but Succeeded and Failed, terminating ones included (they
   * still run the old code). Empty when it is done or declares no valid version.
   */
  public static Optional<DeclaredVersion> ofPod(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return Optional.empty();
    }
    return version(pod.getMetadata())
        .map(v -> new DeclaredVersion(podWorkload(pod.getMetadata()), v, 1));
  }

  /**
   * A ReplicaSet that still wants pods of its template: a rollout whose old pods are not created
   * yet, or a rollback. Empty when it wants none or its template declares no valid version.
   */
  public static Optional<DeclaredVersion> ofReplicaSet(ReplicaSet rs) {
    Integer replicas = rs.getSpec() == null ? null : rs.getSpec().getReplicas();
    if (replicas == null || replicas <= 0 || rs.getSpec().getTemplate() == null) {
      return Optional.empty();
    }
    return version(rs.getSpec().getTemplate().getMetadata())
        .map(v -> new DeclaredVersion(replicaSetWorkload(rs.getMetadata()), v, replicas));
  }

  private static Optional<String> version(ObjectMeta meta) {
    Map<String, String> annotations = meta == null ? null : meta.getAnnotations();
    String v = annotations == null ? null : annotations.get(GatedPods.REQUIRED_VERSION_ANNOTATION);
    // An unreadable version keeps the pod's gate closed (InvalidRequiredVersion); it holds nothing.
    return v != null && SchemaVersions.isVersion(v)
        ? Optional.of(SchemaVersions.normalized(v))
        : Optional.empty();
  }

  /**
   * The workload a pod belongs to: for a pod of a ReplicaSet, its Deployment (the ReplicaSet's name
   * without its {@code -<pod-template-hash>}); a bare pod by its own name.
   */
  static String podWorkload(ObjectMeta pod) {
    Optional<OwnerReference> owner = controller(pod.getOwnerReferences());
    if (owner.isEmpty()) {
      return "pod " + pod.getName();
    }
    OwnerReference o = owner.get();
    if ("ReplicaSet".equals(o.getKind())) {
      String hash = pod.getLabels() == null ? null : pod.getLabels().get("pod-template-hash");
      return "Deployment " + withoutHash(o.getName(), hash);
    }
    return o.getKind() + " " + o.getName();
  }

  private static String replicaSetWorkload(ObjectMeta rs) {
    Optional<OwnerReference> owner = controller(rs.getOwnerReferences());
    String deployment =
        owner
            .filter(o -> "Deployment".equals(o.getKind()))
            .map(OwnerReference::getName)
            .orElse(null);
    if (deployment != null) {
      return "Deployment " + deployment + " (ReplicaSet " + rs.getName() + ")";
    }
    return "ReplicaSet " + rs.getName();
  }

  private static String withoutHash(String replicaSet, String hash) {
    if (hash != null && replicaSet.endsWith("-" + hash)) {
      return replicaSet.substring(0, replicaSet.length() - hash.length() - 1);
    }
    int dash = replicaSet.lastIndexOf('-');
    return dash > 0 ? replicaSet.substring(0, dash) : replicaSet;
  }

  private static Optional<OwnerReference> controller(List<OwnerReference> owners) {
    if (owners == null || owners.isEmpty()) {
      return Optional.empty();
    }
    return owners.stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .findFirst()
        .or(() -> Optional.of(owners.get(0)));
  }
}
