package io.dbbinding.config;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes and Go write them ({@code 30s}, {@code 5m}, {@code 1h30m}, {@code 500ms},
 * {@code 1.5s}): the one grammar of the custom resource's durations and the CLI's.
 */
public final class DurationText {
  /** The grammar, as the CRD's schema states it. */
  public static final String PATTERN = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

  private static final Pattern WHOLE = Pattern.compile(PATTERN);
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private DurationText() {}

  /**
   * The milliseconds {@code text} stands for, fractions kept (each caller rounds as its setting
   * needs); empty when it is null or not a duration.
   */
  public static OptionalDouble millis(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return OptionalDouble.empty();
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
    return OptionalDouble.of(millis);
  }
}
