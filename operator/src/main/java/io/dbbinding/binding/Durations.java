package io.dbbinding.binding;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Kubernetes writes them ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 500ms}). */
public final class Durations {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");
  private static final Pattern WHOLE = Pattern.compile(DatabaseBindingSpec.DURATION_PATTERN);

  private Durations() {}

  /** Parses {@code text}; {@code fallback} when it is null or not a duration. */
  public static Duration parse(String text, Duration fallback) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return fallback;
    }
    double millis = 0;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      double n = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
          };
    }
    return Duration.ofMillis((long) millis);
  }
}
