package io.dbbinding.migrate;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * How a run treats a migration lock held by a session whose owner is gone (see {@link
 * OrphanPolicy}): handed to the {@link Migrator} by the operator, which can look owners up.
 *
 * @param liveness whether an owner pod exists
 * @param gone when owners were first seen gone; the operator's, shared by its runs
 * @param grace how long an owner must have been gone before its session is terminated
 * @param released told, with the message for a person, after a session was terminated
 */
public record LockRelease(
    OwnerLiveness liveness, GoneOwners gone, Duration grace, Consumer<String> released) {}
