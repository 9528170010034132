package io.dbbinding.binding;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed, as {@code kubectl get dbb} and {@code kubectl wait} read it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseBindingStatus {
  private Long observedGeneration;
  private String provider;
  private String schemaVersion;
  private Integer appliedMigrations;
  private Integer pendingMigrations;
  private String lastMigrationTime;

  @JsonPropertyDescription(
      "Consecutive failed attempts to reconcile the binding; 0 after a success.")
  private Integer failures;

  @JsonPropertyDescription(
      "A hash of the migration files and options and of the history table after the last"
          + " successful migration pass. While it still matches, the operator re-verifies the"
          + " binding with one query instead of a Flyway run, after a restart too.")
  private String migrationsFingerprint;

  @JsonPropertyDescription(
      "A hash of the migrated schema's definition (spec.migrations.schema, from PostgreSQL's"
          + " catalogs, without data) as the last migration left it: the baseline each"
          + " checkInterval compares the live schema with (SchemaDrift).")
  private String schemaFingerprint;

  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getProvider() {
    return provider;
  }

  public void setProvider(String provider) {
    this.provider = provider;
  }

  public String getSchemaVersion() {
    return schemaVersion;
  }

  public void setSchemaVersion(String schemaVersion) {
    this.schemaVersion = schemaVersion;
  }

  public Integer getAppliedMigrations() {
    return appliedMigrations;
  }

  public void setAppliedMigrations(Integer appliedMigrations) {
    this.appliedMigrations = appliedMigrations;
  }

  public Integer getPendingMigrations() {
    return pendingMigrations;
  }

  public void setPendingMigrations(Integer pendingMigrations) {
    this.pendingMigrations = pendingMigrations;
  }

  public String getLastMigrationTime() {
    return lastMigrationTime;
  }

  public void setLastMigrationTime(String lastMigrationTime) {
    this.lastMigrationTime = lastMigrationTime;
  }

  /** Consecutive failed attempts; 0 after a success. */
  public Integer getFailures() {
    return failures;
  }

  public void setFailures(Integer failures) {
    this.failures = failures;
  }

  public String getMigrationsFingerprint() {
    return migrationsFingerprint;
  }

  public void setMigrationsFingerprint(String migrationsFingerprint) {
    this.migrationsFingerprint = migrationsFingerprint;
  }

  public String getSchemaFingerprint() {
    return schemaFingerprint;
  }

  public void setSchemaFingerprint(String schemaFingerprint) {
    this.schemaFingerprint = schemaFingerprint;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabaseBindingStatus s
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(provider, s.provider)
        && Objects.equals(schemaVersion, s.schemaVersion)
        && Objects.equals(appliedMigrations, s.appliedMigrations)
        && Objects.equals(pendingMigrations, s.pendingMigrations)
        && Objects.equals(lastMigrationTime, s.lastMigrationTime)
        && Objects.equals(failures, s.failures)
        && Objects.equals(migrationsFingerprint, s.migrationsFingerprint)
        && Objects.equals(schemaFingerprint, s.schemaFingerprint)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        provider,
        schemaVersion,
        appliedMigrations,
        pendingMigrations,
        lastMigrationTime,
        failures,
        migrationsFingerprint,
        schemaFingerprint,
        conditions);
  }
}
