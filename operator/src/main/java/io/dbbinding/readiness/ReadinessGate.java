package io.dbbinding.readiness;

import io.dbbinding.binding.Conditions;
import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.binding.GatedPods;
import io.dbbinding.binding.Reasons;
import io.dbbinding.binding.SchemaVersions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The pod readiness gate {@code dbbinding.io/ready}: True when the pod's binding is Ready and, if
 * the pod asks for one, the schema has reached the version it needs. Kubernetes keeps a pod out of
 * its Services until every gate it declares is True.
 */
public final class ReadinessGate {
  public static final String CONDITION_TYPE = "dbbinding.io/ready";
  public static final String BINDING_LABEL = GatedPods.BINDING_LABEL;
  public static final String REQUIRED_VERSION_ANNOTATION = GatedPods.REQUIRED_VERSION_ANNOTATION;

  /** False: no binding of the labelled name exists, and the operator never saw one for the pod. */
  public static final String BINDING_NOT_FOUND = "BindingNotFound";

  /** True: the pod's binding was deleted, and the gate let the pod go. */
  public static final String BINDING_DELETED = "BindingDeleted";

  /** True: the gate was False for the binding's {@code failOpenAfter} and let the pod go. */
  public static final String FAILED_OPEN = "FailedOpen";

  /** The gate's verdict for one pod. */
  public record Verdict(boolean ready, String reason, String message) {}

  private ReadinessGate() {}

  public static boolean declaresGate(Pod pod) {
    List<PodReadinessGate> gates = pod.getSpec() == null ? null : pod.getSpec().getReadinessGates();
    return gates != null
        && gates.stream().anyMatch(g -> CONDITION_TYPE.equals(g.getConditionType()));
  }

  public static Optional<String> bindingName(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(BINDING_LABEL));
  }

  public static Verdict evaluate(Pod pod, Optional<DatabaseBinding> binding) {
    String name = bindingName(pod).orElse("");
    if (binding.isEmpty()) {
      return new Verdict(
          false,
          BINDING_NOT_FOUND,
          "DatabaseBinding "
              + name
              + " does not exist in namespace "
              + pod.getMetadata().getNamespace());
    }
    DatabaseBinding b = binding.get();
    List<Condition> conditions = b.getStatus() == null ? null : b.getStatus().getConditions();
    Optional<Condition> ready = Conditions.find(conditions, Reasons.READY);
    if (ready.isEmpty()) {
      return new Verdict(
          false, "BindingNotObserved", "DatabaseBinding " + name + " has no status yet");
    }
    if (!"True".equals(ready.get().getStatus())) {
      return new Verdict(
          false,
          ready.get().getReason(),
          "DatabaseBinding " + name + " is not Ready: " + ready.get().getMessage());
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String required = annotations == null ? null : annotations.get(REQUIRED_VERSION_ANNOTATION);
    if (required != null) {
      if (!SchemaVersions.isVersion(required)) {
        return new Verdict(
            false,
            "InvalidRequiredVersion",
            REQUIRED_VERSION_ANNOTATION
                + " must be a version such as 5 or 1.2, got '"
                + required
                + "'");
      }
      String needed = SchemaVersions.normalized(required);
      String current = b.getStatus().getSchemaVersion();
      if (!SchemaVersions.atLeast(current, needed)) {
        return new Verdict(
            false,
            "SchemaBehind",
            "Schema version "
                + (current == null ? "none" : current)
                + " is behind required "
                + needed);
      }
    }
    return new Verdict(
        true,
        Reasons.READY,
        "DatabaseBinding "
            + name
            + " is Ready"
            + (b.getStatus().getSchemaVersion() == null
                ? ""
                : " at schema version " + b.getStatus().getSchemaVersion()));
  }

  /** The gate condition the pod has now, if any. */
  public static Optional<PodCondition> current(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> CONDITION_TYPE.equals(c.getType()))
        .findFirst();
  }

  /** Whether the pod already shows this verdict, so that no patch is needed. */
  public static boolean shows(Pod pod, Verdict verdict) {
    return current(pod)
        .filter(c -> (verdict.ready() ? "True" : "False").equals(c.getStatus()))
        .filter(c -> Objects.equals(verdict.reason(), c.getReason()))
        .filter(c -> Objects.equals(verdict.message(), c.getMessage()))
        .isPresent();
  }
}
