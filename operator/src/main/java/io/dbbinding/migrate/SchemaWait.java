package io.dbbinding.migrate;

import io.dbbinding.db.DatabaseError;
import io.dbbinding.db.DatabaseProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Waits until the schema reaches a version, for init containers and Jobs that must not start before
 * their schema is there. It reads nothing but Flyway's history table (through {@link
 * SchemaHistory}, the query the sidecar's {@code /health/ready} makes), one short connection per
 * look, and waits through a database that cannot be reached yet: at start-up of a whole environment
 * the database is often the last thing up.
 */
public final class SchemaWait {
  /** What one look at the database saw. */
  public record Sighting(Optional<SchemaVersion> version, Optional<String> error) {
    public static Sighting of(Optional<SchemaVersion> version) {
      return new Sighting(version, Optional.empty());
    }

    public static Sighting failed(String why) {
      return new Sighting(Optional.empty(), Optional.of(why));
    }
  }

  /**
   * How the wait ended: reached or not, what the last look saw, the last version seen (kept across
   * looks that could not reach the database) and since when the database has not answered.
   */
  public record Outcome(
      boolean reached,
      Sighting last,
      Optional<SchemaVersion> lastVersion,
      Optional<Instant> unreachableSince,
      Duration waited) {}

  /** Sleeps between looks; tests pass a fake one. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** One look at the database. */
  @FunctionalInterface
  public interface Look {
    Sighting look();
  }

  private final Look look;
  private final Clock clock;
  private final Sleeper sleeper;

  public SchemaWait(Look look, Clock clock, Sleeper sleeper) {
    this.look = look;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /**
   * Looks at {@code history} through {@code probe}: a fresh connection each time, bounded by the
   * probe's deadline; a database error is a sighting too, not the end of the wait.
   */
  public static SchemaWait of(
      DatabaseProbe probe, SchemaHistory history, Clock clock, Sleeper sleeper) {
    return new SchemaWait(
        () -> {
          try {
            return Sighting.of(probe.run(history::currentVersion));
          } catch (DatabaseError e) {
            return Sighting.failed(e.getMessage());
          }
        },
        clock,
        sleeper);
  }

  /**
   * Looks every {@code interval} until the schema is at least {@code required} or {@code timeout}
   * has passed; the last look is made at the timeout. {@code changed} hears every look whose result
   * differs from the one before (and the first), so that a caller can log little.
   */
  public Outcome await(
      SchemaVersion required, Duration timeout, Duration interval, Consumer<Sighting> changed)
      throws InterruptedException {
    Instant start = clock.instant();
    Instant deadline = start.plus(timeout);
    Sighting previous = null;
    Optional<SchemaVersion> lastVersion = Optional.empty();
    Optional<Instant> unreachableSince = Optional.empty();
    while (true) {
      Instant at = clock.instant();
      Sighting s = look.look();
      if (s.error().isPresent()) {
        unreachableSince = unreachableSince.or(() -> Optional.of(at));
      } else {
        unreachableSince = Optional.empty();
        lastVersion = s.version();
      }
      if (!sameState(s, previous)) {
        changed.accept(s);
      }
      previous = s;
      boolean reached = s.version().filter(v -> v.isAtLeast(required)).isPresent();
      Instant now = clock.instant();
      if (reached || !now.isBefore(deadline)) {
        return new Outcome(reached, s, lastVersion, unreachableSince, Duration.between(start, now));
      }
      Duration left = Duration.between(now, deadline);
      sleeper.sleep(left.compareTo(interval) < 0 ? left : interval);
    }
  }

  /** The same version, or still unreachable (whatever the driver's words this time). */
  private static boolean sameState(Sighting s, Sighting previous) {
    return previous != null
        && s.error().isPresent() == previous.error().isPresent()
        && s.version().equals(previous.version());
  }
}
