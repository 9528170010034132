package io.dbbinding.cli;

import io.dbbinding.binding.Conditions;
import io.dbbinding.binding.DatabaseBinding;
import io.dbbinding.readiness.ReadinessGate;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What the playground prints for a person: where things stand, and what to type next. */
final class PlaygroundReport {
  private PlaygroundReport() {}

  static void ready(PrintWriter out, String prefix, DatabaseBinding b) {
    if (b != null
        && b.getStatus() != null
        && Conditions.isTrue(b.getStatus().getConditions(), "Ready")) {
      out.println(
          prefix
              + "binding orders is Ready at schema version "
              + b.getStatus().getSchemaVersion()
              + String.format(
                  Locale.ROOT,
                  ", %.1f s after the command",
                  Startup.millisSinceProcessStart() / 1000.0));
      return;
    }
    String why =
        b == null || b.getStatus() == null
            ? "no status yet"
            : Conditions.find(b.getStatus().getConditions(), "Ready")
                .map(c -> c.getReason() + ": " + c.getMessage())
                .orElse("no Ready condition yet");
    out.println(prefix + "binding orders is not Ready yet (" + why + "); see the commands below");
  }

  static void gate(PrintWriter out, String prefix, Optional<PodCondition> gate) {
    out.println(
        prefix
            + "pod orders-app: readiness gate "
            + ReadinessGate.CONDITION_TYPE
            + gate.map(
                    c -> " is " + c.getStatus() + " (" + c.getReason() + "), set by the operator")
                .orElse(" not set yet")
            + "; the pod itself never runs: the playground has no node");
  }

  /** The three things to try, each a command to copy as it is. */
  static void commands(PrintWriter out, Path kubeconfig, String kubectl, String migration) {
    String k = kubectl + " --kubeconfig " + kubeconfig;
    out.println();
    out.println("Kubeconfig: " + kubeconfig);
    out.println("Try, in another terminal:");
    out.println("  " + k + " get dbb");
    out.println("  " + k + " describe dbb orders");
    out.println(
        "  "
            + k
            + " patch configmap orders-migrations --type merge -p '{\"data\":{\""
            + migration
            + "\":\"ALTER TABLE orders ADD COLUMN notes text;\"}}' && "
            + k
            + " get dbb orders --watch");
    out.println();
  }
}
