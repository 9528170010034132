package io.dbbinding.migrate;

import io.dbbinding.config.DurationText;
import io.dbbinding.migrate.MigrationError.Reason;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * How long a migration may wait, so that it never holds up the application it migrates.
 *
 * @param lockTimeout the longest a statement waits for a lock ({@code lock_timeout}) before its
 *     transaction is rolled back and retried; zero for no limit
 * @param statementTimeout the longest one statement may run ({@code statement_timeout}); zero for
 *     no limit
 * @param reportBlockers whether a lock time-out names the blocking session's query (its
 *     application, state and transaction age are always named)
 */
public record MigrationTimeouts(
    Duration lockTimeout, Duration statementTimeout, boolean reportBlockers) {
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

  public MigrationTimeouts {
    if (lockTimeout.isNegative() || statementTimeout.isNegative()) {
      throw new MigrationError(Reason.INVALID_CONFIGURATION, "a time-out cannot be negative");
    }
  }

  /** A 5 s lock time-out, no statement time-out, blockers named with their query. */
  public static MigrationTimeouts defaults() {
    return new MigrationTimeouts(DEFAULT_LOCK_TIMEOUT, Duration.ZERO, true);
  }

  /**
   * Reads a duration as Kubernetes and the CLI write it: {@code 5s}, {@code 500ms}, {@code 1m30s},
   * or {@code 0} for none.
   *
   * @param what the setting, named in the error
   */
  public static Duration parse(String what, String text) {
    String t = text == null ? "" : text.strip();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    OptionalDouble millis = DurationText.millis(t);
    if (millis.isEmpty()) {
      throw new MigrationError(
          Reason.INVALID_CONFIGURATION,
          what + " must be a duration such as 5s, 500ms or 1m, or 0 for none, got '" + t + "'");
    }
    // Up, not down: a fraction of a millisecond must not become 0, which means no limit.
    return Duration.ofMillis((long) Math.ceil(millis.getAsDouble()));
  }

  /** As PostgreSQL's setting wants it. */
  static String setting(Duration d) {
    return d.toMillis() + "ms";
  }

  /** As a person reads it: 5s, 1500ms. */
  static String shown(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
