package io.dbbinding.binding;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Which migrations to apply, and how. */
public class MigrationsSpec {
  @Required
  @Size(min = 1, max = 32)
  @ValidationRule(
      value = "self.size() > 0",
      message = "configMapRefs needs at least one ConfigMap; omit migrations to only check")
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

  @Default("warn")
  @Pattern("^(warn|block|off)$")
  @JsonPropertyDescription(
      "Lint pending migrations before applying them: warn (apply, and a Warning Event per file"
          + " naming the rules it breaks), block (apply nothing while a pending file breaks a"
          + " rule: UnsafeMigration), or off.")
  private String lint = "warn";

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
}
