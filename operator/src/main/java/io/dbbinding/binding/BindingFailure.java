package io.dbbinding.binding;

/**
 * Thrown from a reconcile whose failure may pass (the database is down): the operator SDK then
 * retries with backoff, and {@code updateErrorStatus} publishes the status carried here.
 */
public final class BindingFailure extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Observation observation;

  public BindingFailure(Observation observation) {
    super(observation.failure() == null ? "failed" : observation.failure().message());
    this.observation = observation;
  }

  public Observation observation() {
    return observation;
  }
}
