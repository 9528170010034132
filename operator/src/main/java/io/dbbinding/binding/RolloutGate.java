package io.dbbinding.binding;

import io.dbbinding.migrate.ContractStep;
import io.dbbinding.migrate.SchemaVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Whether a binding's pending contract steps may be applied: pure, like the readiness gate's
 * policy. A contract step is held while a pod of the binding, or a ReplicaSet that still wants
 * pods, declares a version below the step's expand version: that code still reads the shape the
 * step drops. Flyway applies in order, so the first held step holds everything after it.
 */
public final class RolloutGate {
  /**
   * What to do.
   *
   * @param held the first contract step that must wait; empty when all may be applied
   * @param released the pending contract steps before it, which may be applied now
   * @param message why it waits and for whom; empty when nothing waits
   */
  public record Decision(Optional<ContractStep> held, List<ContractStep> released, String message) {
    public Decision {
      released = List.copyOf(released);
    }

    public boolean waiting() {
      return held.isPresent();
    }
  }

  private RolloutGate() {}

  /**
   * @param pending the contract steps not applied yet, in version order
   * @param declared what the binding's pods and ReplicaSets declare
   */
  public static Decision decide(List<ContractStep> pending, List<DeclaredVersion> declared) {
    List<ContractStep> released = new ArrayList<>();
    for (ContractStep step : pending) {
      List<DeclaredVersion> older = olderThan(step.expandVersion(), declared);
      if (!older.isEmpty()) {
        return new Decision(Optional.of(step), released, message(step, older));
      }
      released.add(step);
    }
    return new Decision(Optional.empty(), released, "");
  }

  private static List<DeclaredVersion> olderThan(
      SchemaVersion expand, List<DeclaredVersion> declared) {
    if (expand == null) {
      return List.of(); // nothing below it to wait for
    }
    return declared.stream()
        .filter(d -> SchemaVersion.parse(d.version()).compareTo(expand) < 0)
        .toList();
  }

  /**
   * Names each workload with its pods per older version, sorted, so that the same pods give the
   * same message and an unchanged wait writes no status.
   */
  private static String message(ContractStep step, List<DeclaredVersion> older) {
    Map<String, Map<String, Integer>> byWorkload = new TreeMap<>();
    for (DeclaredVersion d : older) {
      byWorkload
          .computeIfAbsent(d.workload(), w -> new TreeMap<>())
          .merge(d.version(), d.pods(), Integer::sum);
    }
    List<String> parts = new ArrayList<>();
    byWorkload.forEach(
        (workload, versions) -> {
          List<String> counts = new ArrayList<>();
          versions.forEach(
              (version, pods) ->
                  counts.add(pods + (pods == 1 ? " pod" : " pods") + " at version " + version));
          parts.add(workload + " (" + String.join(", ", counts) + ")");
        });
    return "Contract step "
        + fileName(step.script())
        + " waits for the rollout: every pod must declare schema version "
        + step.expandVersion()
        + " or later; still older: "
        + String.join(", ", parts);
  }

  private static String fileName(String script) {
    return script.substring(script.lastIndexOf('/') + 1);
  }
}
