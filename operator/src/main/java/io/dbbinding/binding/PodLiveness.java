package io.dbbinding.binding;

import io.dbbinding.migrate.OwnerLiveness;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Whether a migrator's pod still exists, asked of the API server (one {@code get}, not a cache: an
 * owner may live in a namespace the operator does not watch, and the answer must be current). A pod
 * that ended (Succeeded or Failed) counts as gone: its processes are dead, whatever its sessions
 * say. Any doubt (a refusal, no answer) is {@code UNKNOWN}, which is never released.
 */
public final class PodLiveness implements OwnerLiveness {
  private final KubernetesClient client;

  public PodLiveness(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Answer of(String namespace, String pod) {
    Pod p;
    try {
      p = client.pods().inNamespace(namespace).withName(pod).get();
    } catch (KubernetesClientException e) {
      return new Answer(
          State.UNKNOWN,
          "the operator cannot get pods in namespace "
              + namespace
              + (e.getCode() > 0 ? ": HTTP " + e.getCode() : ""));
    }
    if (p == null) {
      return new Answer(State.GONE, "no such pod");
    }
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return new Answer(State.GONE, "pod phase " + phase);
    }
    return new Answer(State.ALIVE, "pod phase " + (phase == null ? "unknown" : phase));
  }
}
