package io.dbbinding.binding;

import io.dbbinding.migrate.GoneOwners;
import io.dbbinding.migrate.LockRelease;
import io.dbbinding.migrate.OwnerLiveness;
import io.dbbinding.migrate.RunName;

/**
 * The operator's side of orphaned migration locks: the name its replica gives each binding's
 * sessions, and how a lock left by a dead migrator is released (with a Warning Event on the
 * binding).
 */
public final class LockOwners {
  private final RunName replica;
  private final OwnerLiveness liveness;
  private final GoneOwners gone;
  private final BindingEvents events;

  /**
   * @param replica this replica: its pod and namespace (POD_NAME, POD_NAMESPACE)
   * @param gone the operator's one memory of owners seen gone, shared by every binding
   */
  public LockOwners(
      RunName replica, OwnerLiveness liveness, GoneOwners gone, BindingEvents events) {
    this.replica = replica;
    this.liveness = liveness;
    this.gone = gone;
    this.events = events;
  }

  /** The application_name of the sessions that check and migrate {@code binding}. */
  String applicationName(DatabaseBinding binding) {
    return replica
        .forBinding(binding.getMetadata().getNamespace(), binding.getMetadata().getName())
        .applicationName();
  }

  /**
   * The application_name of this replica's sessions between runs: connections kept for reuse are
   * opened under it and return to it, so that an idle one names no binding.
   */
  String idleApplicationName() {
    return replica.applicationName();
  }

  /** How a run of {@code binding} releases a lock whose owner is gone. */
  LockRelease release(DatabaseBinding binding, MigrationsSpec spec) {
    return new LockRelease(
        liveness,
        gone,
        spec.orphanedLockGrace(),
        message -> events.emit(binding, "Warning", Reasons.ORPHANED_LOCK_RELEASED, message));
  }
}
