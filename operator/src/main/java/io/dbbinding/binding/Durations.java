package io.dbbinding.binding;

import io.dbbinding.config.DurationText;
import java.time.Duration;
import java.util.OptionalDouble;

/** Durations as Kubernetes writes them ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 500ms}). */
public final class Durations {
  private Durations() {}

  /** Parses {@code text}; {@code fallback} when it is null or not a duration. */
  public static Duration parse(String text, Duration fallback) {
    OptionalDouble millis = DurationText.millis(text);
    return millis.isPresent() ? Duration.ofMillis((long) millis.getAsDouble()) : fallback;
  }
}
