package io.dbbinding.migrate;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One migration: its name (relative to its source, as Flyway records it in the history table) and
 * its SQL. Names follow Flyway: {@code V<version>__<description>.sql} and {@code
 * R__<description>.sql}.
 */
public record MigrationFile(String name, String sql) {
  private static final Pattern VERSIONED =
      Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__([^/]+)\\.sql");
  private static final Pattern REPEATABLE = Pattern.compile("R__([^/]+)\\.sql");

  /** The name without folders. */
  public String fileName() {
    int slash = name.lastIndexOf('/');
    return slash < 0 ? name : name.substring(slash + 1);
  }

  /** The version of a versioned migration; empty for a repeatable one. */
  public Optional<SchemaVersion> version() {
    Matcher m = VERSIONED.matcher(fileName());
    return m.matches() ? Optional.of(SchemaVersion.parse(m.group(1))) : Optional.empty();
  }

  /**
   * The first-line directive of a contract step: a versioned migration that drops the old shape,
   * applied only once no pod needs a version below its expand version (see {@link ContractSteps}).
   */
  public static final String CONTRACT_DIRECTIVE = "-- dbbinding:contract";

  /** Whether the first non-blank line is {@link #CONTRACT_DIRECTIVE}. */
  public boolean isContract() {
    for (String line : sql.replace("\uFEFF", "").split("\\R", -1)) {
      if (!line.isBlank()) {
        return line.strip().equals(CONTRACT_DIRECTIVE);
      }
    }
    return false;
  }

  public boolean isMigrationName() {
    return isMigrationName(fileName());
  }

  public static boolean isMigrationName(String fileName) {
    return VERSIONED.matcher(fileName).matches() || REPEATABLE.matcher(fileName).matches();
  }
}
