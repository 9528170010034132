package io.dbbinding.binding;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes-style conditions: one per type, and {@code lastTransitionTime} moves only when the
 * status does, so that an unchanged observation leaves the status byte for byte as it was.
 */
public final class Conditions {
  private Conditions() {}

  /**
   * Returns {@code current} with the condition of {@code type} set; the others keep their order and
   * new types are appended.
   */
  public static List<Condition> set(
      List<Condition> current,
      String type,
      String statusText,
      String reason,
      String message,
      Long generation,
      String now) {
    List<Condition> out = new ArrayList<>();
    boolean replaced = false;
    for (Condition c : current == null ? List.<Condition>of() : current) {
      if (type.equals(c.getType())) {
        String since = statusText.equals(c.getStatus()) ? c.getLastTransitionTime() : now;
        out.add(condition(type, statusText, reason, message, generation, since));
        replaced = true;
      } else {
        out.add(c);
      }
    }
    if (!replaced) {
      out.add(condition(type, statusText, reason, message, generation, now));
    }
    return out;
  }

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static Condition condition(
      String type, String status, String reason, String message, Long generation, String since) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(Objects.requireNonNullElse(message, ""))
        .withObservedGeneration(generation)
        .withLastTransitionTime(since)
        .build();
  }
}
