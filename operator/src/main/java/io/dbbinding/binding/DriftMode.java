package io.dbbinding.binding;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code spec.migrations.drift}: what a schema changed outside migrations does to a binding. */
public enum DriftMode {
  /** SchemaDrift=True and a Warning Event; Ready is left alone. */
  @JsonProperty("warn")
  WARN,
  /** As warn, and Ready=False (reason Drifted), so that the pods' readiness gate closes. */
  @JsonProperty("block")
  BLOCK,
  /** The schema is not compared: no query. */
  @JsonProperty("off")
  OFF;

  /** The mode of {@code spec}; warn when it is unset. */
  static DriftMode of(MigrationsSpec spec) {
    return spec == null || spec.getDrift() == null ? WARN : spec.getDrift();
  }
}
