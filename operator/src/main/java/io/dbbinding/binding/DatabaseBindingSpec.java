package io.dbbinding.binding;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dbbinding.config.DurationText;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** What a binding asks for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseBindingSpec {
  /** Durations as Kubernetes and Go write them: 30s, 5m, 1h30m, 500ms. */
  public static final String DURATION_PATTERN = DurationText.PATTERN;

  @Required
  @JsonPropertyDescription("The database: a Secret key holding its URL.")
  private DatabaseRef database;

  @JsonPropertyDescription(
      "Flyway migrations to apply from ConfigMaps. Without it the binding only checks that the"
          + " database is reachable.")
  private MigrationsSpec migrations;

  @Default("60s")
  @Pattern(DURATION_PATTERN)
  @JsonPropertyDescription(
      "How often to re-check reachability and drift, as a duration such as 30s, 5m or 1h.")
  private String checkInterval = "60s";

  @Default("false")
  @JsonPropertyDescription("true: observe and report, apply nothing.")
  private boolean suspend;

  /** Today's limit before the field existed: a binding that omits it keeps that behaviour. */
  public static final int DEFAULT_RETRY_LIMIT = 8;

  @Default("8")
  @Min(0)
  @JsonPropertyDescription(
      "How many times a transient failure (database unreachable, a failed migration) is retried"
          + " with backoff before the binding is Stalled with reason RetryLimitReached; it is"
          + " still re-checked at every checkInterval. 0: Stalled at the first failure.")
  private int retryLimit = DEFAULT_RETRY_LIMIT;

  @JsonPropertyDescription("The pod readiness gate dbbinding.io/ready of this binding's pods.")
  private ReadinessGateSpec readinessGate;

  public DatabaseRef getDatabase() {
    return database;
  }

  public void setDatabase(DatabaseRef database) {
    this.database = database;
  }

  public MigrationsSpec getMigrations() {
    return migrations;
  }

  public void setMigrations(MigrationsSpec migrations) {
    this.migrations = migrations;
  }

  public String getCheckInterval() {
    return checkInterval;
  }

  public void setCheckInterval(String checkInterval) {
    this.checkInterval = checkInterval;
  }

  public boolean isSuspend() {
    return suspend;
  }

  public void setSuspend(boolean suspend) {
    this.suspend = suspend;
  }

  public int getRetryLimit() {
    return retryLimit;
  }

  public void setRetryLimit(int retryLimit) {
    this.retryLimit = retryLimit;
  }

  public ReadinessGateSpec getReadinessGate() {
    return readinessGate;
  }

  public void setReadinessGate(ReadinessGateSpec readinessGate) {
    this.readinessGate = readinessGate;
  }
}
