package io.dbbinding.binding;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dbbinding.migrate.MigrationError;
import io.dbbinding.migrate.MigrationTimeouts;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Which migrations to apply, and how. */
public class MigrationsSpec {
  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(
      value = "self.size() > 0",
      message = "configMapRefs needs at least one ConfigMap; omit migrations to only check")
  @ValidationRule(
      value = "self.all(a, self.exists_one(b, b.name == a.name))",
      message = "configMapRefs names each ConfigMap once; remove the repeated entry")
  @JsonPropertyDescription(
      "ConfigMaps whose keys are Flyway file names (V1__init.sql, R__views.sql) and whose"
          + " values are the SQL.")
  private List<ConfigMapRef> configMapRefs = new ArrayList<>();

  @Default("public")
  @Size(min = 1, max = 63)
  @JsonPropertyDescription("Schema to migrate; it holds the history table (default public).")
  private String schema = "public";

  @Default("flyway_schema_history")
  @Size(min = 1, max = 63)
  @JsonPropertyDescription("Flyway's history table (default flyway_schema_history).")
  private String table = "flyway_schema_history";

  @Default("false")
  @JsonPropertyDescription(
      "Baseline a schema that has tables but no history table at version 1, instead of"
          + " refusing it.")
  private boolean baselineOnMigrate;

  @Default("latest")
  @Size(min = 1, max = 64)
  @ValidationRule(
      value = "self == 'latest' || self.matches('^[0-9]+([._][0-9]+)*$')",
      message = "target must be latest or a version such as 3 or 1.2")
  @JsonPropertyDescription("Highest version to apply: latest, or a version such as 3 or 1.2.")
  private String target = "latest";

  @Default("5s")
  @Pattern(LOCK_TIMEOUT_PATTERN)
  @JsonPropertyDescription(
      "Longest a migration statement waits for a lock before its transaction is rolled back and"
          + " retried, as a duration such as 5s or 500ms; 0 for no limit (default 5s).")
  private String lockTimeout = "5s";

  @Pattern(LOCK_TIMEOUT_PATTERN)
  @JsonPropertyDescription(
      "Longest one migration statement may run, as a duration such as 10m; unset or 0 for no"
          + " limit.")
  private String statementTimeout;

  @Default("true")
  @JsonPropertyDescription(
      "Whether a LockTimeout message shows the first 100 characters of the blocking session's"
          + " query (default true; its application, state and transaction age are always shown).")
  private Boolean reportBlockers = true;

  @Default("60s")
  @Pattern(LOCK_TIMEOUT_PATTERN)
  @JsonPropertyDescription(
      "How long the pod of a dbbinding migrator that holds the migration lock must have been gone"
          + " (deleted, Succeeded or Failed) before its database session is terminated, as a"
          + " duration such as 60s; 0 to terminate it as soon as its pod is seen gone (default"
          + " 60s).")
  private String orphanedLockGrace = "60s";

  /** A duration, or 0 for none. */
  static final String LOCK_TIMEOUT_PATTERN = "^(0|([0-9]+(\\.[0-9]+)?(ms|s|m|h))+)$";

  /**
   * The time-outs a migration runs with; defaults where a field is unset (or, past the API server's
   * validation, unreadable).
   */
  public MigrationTimeouts timeouts() {
    return new MigrationTimeouts(
        duration("lockTimeout", lockTimeout, MigrationTimeouts.DEFAULT_LOCK_TIMEOUT),
        duration("statementTimeout", statementTimeout, Duration.ZERO),
        reportBlockers == null || reportBlockers);
  }

  /** The grace before an orphaned migration lock is released; 60 s when unset or unreadable. */
  public Duration orphanedLockGrace() {
    return duration("orphanedLockGrace", orphanedLockGrace, DEFAULT_ORPHANED_LOCK_GRACE);
  }

  static final Duration DEFAULT_ORPHANED_LOCK_GRACE = Duration.ofSeconds(60);

  public String getOrphanedLockGrace() {
    return orphanedLockGrace;
  }

  public void setOrphanedLockGrace(String orphanedLockGrace) {
    this.orphanedLockGrace = orphanedLockGrace;
  }

  private static Duration duration(String what, String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return MigrationTimeouts.parse(what, text);
    } catch (MigrationError e) {
      return fallback;
    }
  }

  @Default("warn")
  @Pattern("^(warn|block|off)$")
  @JsonPropertyDescription(
      "Lint pending migrations before applying them: warn (apply, and a Warning Event per file"
          + " naming the rules it breaks), block (apply nothing while a pending file breaks a"
          + " rule: UnsafeMigration), or off.")
  private String lint = "warn";

  // A pattern, not an enum: the CRD generator writes an enum's values unquoted, and YAML 1.1
  // (kubectl, Helm) reads a bare off as false, which would break the CRD itself.
  @Default("warn")
  @Pattern("^(warn|block|off)$")
  @JsonPropertyDescription(
      "Compare the migrated schema with the one the last migration left, at every checkInterval:"
          + " warn (SchemaDrift=True and a Warning Event when it was changed by hand), block (the"
          + " same, and Ready=False until the change is undone or a migration re-baselines it),"
          + " or off (quoted in YAML: \"off\").")
  private String drift = "warn";

  public String getDrift() {
    return drift;
  }

  public void setDrift(String drift) {
    this.drift = drift;
  }

  public List<ConfigMapRef> getConfigMapRefs() {
    return configMapRefs;
  }

  public void setConfigMapRefs(List<ConfigMapRef> configMapRefs) {
    this.configMapRefs = configMapRefs;
  }

  public String getSchema() {
    return schema;
  }

  public void setSchema(String schema) {
    this.schema = schema;
  }

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }

  public boolean isBaselineOnMigrate() {
    return baselineOnMigrate;
  }

  public void setBaselineOnMigrate(boolean baselineOnMigrate) {
    this.baselineOnMigrate = baselineOnMigrate;
  }

  public String getLint() {
    return lint;
  }

  public void setLint(String lint) {
    this.lint = lint;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public String getLockTimeout() {
    return lockTimeout;
  }

  public void setLockTimeout(String lockTimeout) {
    this.lockTimeout = lockTimeout;
  }

  public String getStatementTimeout() {
    return statementTimeout;
  }

  public void setStatementTimeout(String statementTimeout) {
    this.statementTimeout = statementTimeout;
  }

  public Boolean getReportBlockers() {
    return reportBlockers;
  }

  public void setReportBlockers(Boolean reportBlockers) {
    this.reportBlockers = reportBlockers;
  }
}
