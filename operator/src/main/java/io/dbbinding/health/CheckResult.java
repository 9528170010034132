package io.dbbinding.health;

import io.dbbinding.migrate.SchemaVersion;
import java.util.Optional;

/**
 * The outcome of one database check.
 *
 * @param healthy whether the database answered
 * @param detail why not, for logs (never a credential); empty when healthy
 * @param schemaVersion the schema version read in the same round trip, when asked for
 */
public record CheckResult(boolean healthy, String detail, Optional<SchemaVersion> schemaVersion) {

  public static CheckResult healthy(Optional<SchemaVersion> schemaVersion) {
    return new CheckResult(true, "", schemaVersion);
  }

  public static CheckResult unhealthy(String detail) {
    return new CheckResult(false, detail, Optional.empty());
  }
}
