package io.dbbinding.binding;

import io.dbbinding.migrate.SchemaVersion;

/**
 * Version checks on a binding's {@code schemaVersion}, compared as Flyway compares versions, for
 * those (the readiness gate) that read a binding's status but not the migration engine.
 */
public final class SchemaVersions {
  private SchemaVersions() {}

  public static boolean isVersion(String text) {
    try {
      SchemaVersion.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether {@code current} (null: nothing applied) has reached {@code required}. */
  public static boolean atLeast(String current, String required) {
    return current != null && SchemaVersion.parse(current).isAtLeast(SchemaVersion.parse(required));
  }

  /** The canonical form of a version: {@code 2_1} is shown as {@code 2.1}. */
  public static String normalized(String text) {
    return SchemaVersion.parse(text).toString();
  }
}
