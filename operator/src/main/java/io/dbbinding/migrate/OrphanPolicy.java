package io.dbbinding.migrate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * What to do about a session that holds the migration lock: pure, so that every case is a unit
 * test. Only a dbbinding run whose owner pod has been gone for the whole grace period is released;
 * a live (or possibly live) migrator is waited for, and a session that is not a run is left to
 * Flyway's wait and the blocker report, as any other lock holder.
 */
public final class OrphanPolicy {
  /** What the run does about the holder. */
  public enum Action {
    /** Not a run whose owner can be told: let Flyway wait for the lock, as for any session. */
    PROCEED,
    /** A run whose owner is alive, or may be: wait for it (retried soon). */
    WAIT,
    /** A run whose owner is gone, for less than the grace: wait until {@code releaseAt}. */
    WAIT_FOR_GRACE,
    /** A run whose owner has been gone longer than the grace: terminate the session. */
    RELEASE
  }

  /**
   * @param releaseAt when the session will be released (WAIT_FOR_GRACE, RELEASE); else null
   * @param message for the condition (the waits) or the Event (RELEASE); empty for PROCEED
   */
  public record Decision(Action action, Instant releaseAt, String message) {}

  private OrphanPolicy() {}

  /**
   * @param owner the holder's owner, read from its application_name; empty when it is not a run or
   *     its name was cut inside the owner
   * @param answer whether that owner lives; null when there is no owner
   * @param goneSince when the owner was first seen gone; empty when it was not
   */
  public static Decision decide(
      LockHolder holder,
      Optional<RunName> owner,
      OwnerLiveness.Answer answer,
      Optional<Instant> goneSince,
      Duration grace,
      Instant now) {
    if (owner.isEmpty() || answer == null) {
      return new Decision(Action.PROCEED, null, "");
    }
    String who = owner.get().ownerText();
    String held = "The migration lock is held by " + holder.describe();
    return switch (answer.state()) {
      case ALIVE ->
          new Decision(
              Action.WAIT,
              null,
              held + ", a running migrator (" + who + "); waiting for it to finish");
      case UNKNOWN ->
          new Decision(
              Action.WAIT,
              null,
              held
                  + ", a migrator whose "
                  + who
                  + " cannot be looked up ("
                  + answer.detail()
                  + "); it is never terminated while it may be alive, so waiting for it");
      case GONE -> gone(holder, who, answer.detail(), goneSince.orElse(now), grace, now, held);
    };
  }

  /** To the second, as a person reads it (and as Kubernetes writes its times). */
  static String shown(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A release time is shown rounded up: it never happens before the time said. */
  private static Instant roundedUp(Instant t) {
    Instant s = t.truncatedTo(ChronoUnit.SECONDS);
    return s.equals(t) ? s : s.plusSeconds(1);
  }

  private static Decision gone(
      LockHolder holder,
      String who,
      String detail,
      Instant since,
      Duration grace,
      Instant now,
      String held) {
    Instant releaseAt = since.plus(grace);
    if (now.isBefore(releaseAt)) {
      return new Decision(
          Action.WAIT_FOR_GRACE,
          releaseAt,
          held
              + ", whose owner "
              + who
              + " is gone ("
              + detail
              + ") since "
              + shown(since)
              + "; it will be terminated at "
              + shown(roundedUp(releaseAt))
              + " (spec.migrations.orphanedLockGrace "
              + MigrationTimeouts.shown(grace)
              + ") unless it ends first");
    }
    return new Decision(
        Action.RELEASE,
        releaseAt,
        "Terminated session "
            + holder.describe()
            + ", which held the migration lock: its owner "
            + who
            + " is gone ("
            + detail
            + ") since "
            + shown(since)
            + ", longer than spec.migrations.orphanedLockGrace "
            + MigrationTimeouts.shown(grace));
  }
}
