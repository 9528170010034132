package io.dbbinding.migrate;

/**
 * Whether the pod that owns a run still exists: asked of the API server by the operator, behind
 * this interface because this package may not use the Kubernetes client.
 */
@FunctionalInterface
public interface OwnerLiveness {
  /** Whether the owner of a lock can still be running. */
  enum State {
    /** The pod exists and has not ended: its run may be working. */
    ALIVE,
    /** No such pod, or it ended (Succeeded or Failed): its sessions are orphans. */
    GONE,
    /** The API server could not say (refused, unreachable): treated as alive. */
    UNKNOWN
  }

  /**
   * @param state what the API server said
   * @param detail for a person: {@code no such pod}, {@code pod phase Failed}, or why it is unknown
   */
  record Answer(State state, String detail) {}

  Answer of(String namespace, String pod);

  /** For runs where nobody can look owners up (the CLI): every owner is unknown. */
  static OwnerLiveness unknown() {
    return (namespace, pod) -> new Answer(State.UNKNOWN, "owners are not looked up here");
  }
}
