package io.dbbinding.health;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/** The status each probe path answered last, so that only a change is worth a log line. */
final class ProbeStates {
  private final Map<String, Integer> last = new ConcurrentHashMap<>();

  /**
   * Records {@code status} as the latest answer on {@code path}; returns the one before it, or
   * empty for the path's first answer.
   */
  OptionalInt swap(String path, int status) {
    Integer previous = last.put(path, status);
    return previous == null ? OptionalInt.empty() : OptionalInt.of(previous);
  }
}
