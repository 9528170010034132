package io.dbbinding.lint;

import java.util.Locale;

/** What to do with pending migrations that break a rule: {@code spec.migrations.lint}. */
public enum LintMode {
  /** Apply them, and say which rules they break (Warning Events, lines on standard error). */
  WARN,
  /** Apply nothing until the files are fixed or carry their waivers. */
  BLOCK,
  /** Do not lint. */
  OFF;

  /** Parses {@code warn}, {@code block} or {@code off}; null or blank is the default, warn. */
  public static LintMode parse(String value) {
    if (value == null || value.isBlank()) {
      return WARN;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "warn" -> WARN;
      case "block" -> BLOCK;
      case "off" -> OFF;
      default ->
          throw new IllegalArgumentException(
              "lint must be warn, block or off, not '" + value + "'");
    };
  }

  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
