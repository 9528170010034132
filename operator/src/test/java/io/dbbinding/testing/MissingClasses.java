package io.dbbinding.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The output of a process run on the image's class path, read for a class it could not find: on the
 * sidecar's class path (only the jars it loads) a path that needs a class of another jar fails with
 * one of these, which a status code alone may not show (a background thread that dies, an error
 * caught and logged).
 */
public final class MissingClasses {
  private MissingClasses() {}

  /**
   * Fails when {@code log} names a {@code NoClassDefFoundError} or a {@code
   * ClassNotFoundException}.
   */
  public static void assertNoneIn(Path log) throws IOException {
    assertThat(Files.readAllLines(log))
        .as("lines of %s naming a class missing from the class path", log)
        .noneMatch(l -> l.contains("NoClassDefFoundError") || l.contains("ClassNotFoundException"));
  }
}
