package io.dbbinding.migrate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When the owner of each lock-holding session was first seen gone: the start of its grace period.
 * One per operator, shared by its runs (they run on several threads). Lost on a restart, which only
 * starts the grace again: a session is released later, never sooner.
 */
public final class GoneOwners {
  /** A holder not asked about for this long has ended; its entry is dropped. */
  private static final Duration FORGET_AFTER = Duration.ofHours(6);

  private record Seen(Instant first, Instant last) {}

  private final Clock clock;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  public GoneOwners(Clock clock) {
    this.clock = clock;
  }

  Instant now() {
    return clock.instant();
  }

  /** When the owner of {@code holder} was first seen gone; now, if this is the first time. */
  Instant goneSince(LockHolder holder) {
    Instant now = clock.instant();
    seen.values().removeIf(s -> s.last().plus(FORGET_AFTER).isBefore(now));
    return seen.compute(holder.key(), (k, s) -> new Seen(s == null ? now : s.first(), now)).first();
  }

  /** The holder was released, or its owner is back: its grace starts again if seen gone later. */
  void forget(LockHolder holder) {
    seen.remove(holder.key());
  }

  /** How many holders are remembered. */
  int size() {
    return seen.size();
  }
}
