package io.dbbinding.binding;

import java.util.Locale;

/** {@code spec.migrations.drift}: what a schema changed outside migrations does to a binding. */
public enum DriftMode {
  /** SchemaDrift=True and a Warning Event; Ready is left alone. */
  WARN,
  /** As warn, and Ready=False (reason Drifted), so that the pods' readiness gate closes. */
  BLOCK,
  /** The schema is not compared: no query. */
  OFF;

  /**
   * The mode of {@code spec}; warn when it is unset or, past the API server's validation,
   * unreadable: a check too many is better than a drift missed.
   */
  static DriftMode of(MigrationsSpec spec) {
    if (spec == null || spec.getDrift() == null) {
      return WARN;
    }
    return switch (spec.getDrift().toLowerCase(Locale.ROOT)) {
      case "block" -> BLOCK;
      case "off" -> OFF;
      default -> WARN;
    };
  }
}
