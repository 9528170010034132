package io.dbbinding.cli;

import io.dbbinding.config.ConfigurationException;
import io.dbbinding.migrate.MigrationSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --location}: where the migrations are, for every command that reads them. */
final class LocationsMixin {
  @Option(
      names = "--location",
      paramLabel = "DIR",
      description =
          "A folder of migrations (V<version>__<description>.sql, R__<description>.sql),"
              + " or classpath:PATH. Repeatable.")
  List<String> locations = new ArrayList<>();

  boolean isEmpty() {
    return locations.isEmpty();
  }

  /** The source these --location values name; none when there are none. */
  MigrationSource source(Path workingDirectory) {
    if (locations.isEmpty()) {
      return MigrationSource.none();
    }
    List<Path> folders = new ArrayList<>();
    for (String location : locations) {
      if (location.startsWith("classpath:")) {
        if (locations.size() > 1) {
          throw new ConfigurationException(
              "--location classpath:... cannot be combined with other locations");
        }
        return MigrationSource.classpath(location);
      }
      folders.add(workingDirectory.resolve(location).normalize());
    }
    return MigrationSource.folders(folders);
  }
}
