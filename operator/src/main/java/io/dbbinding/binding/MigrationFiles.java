package io.dbbinding.binding;

import io.dbbinding.migrate.MigrationSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A binding's migrations as its ConfigMaps hold them.
 *
 * @param files file name to SQL, sorted by name
 * @param configMaps the ConfigMaps they came from, in the order the spec lists them
 */
public record MigrationFiles(Map<String, String> files, List<String> configMaps) {
  public MigrationFiles {
    files = new TreeMap<>(files);
    configMaps = List.copyOf(configMaps);
  }

  public MigrationSource source() {
    return MigrationSource.inMemory("ConfigMap " + String.join(", ", configMaps), files);
  }
}
